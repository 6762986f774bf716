// Anchors the cunbo_test_support library (fixtures live in tests/support/).
namespace cunbo::test {
extern const char* const kTestSupport;
const char* const kTestSupport = "cunbo-test-support";
}  // namespace cunbo::test
