#include "media/encoder_fault_seam.h"

#include <gtest/gtest.h>

namespace cunbo {
namespace {

TEST(EncoderFaultSeam, FailsEachPlannedFrameOnceSoThatTheRetryOfThatFrameSucceeds) {
  EncoderFaultSeam seam = EncoderFaultSeam::parse("fail_at_frame=60,again_at_frame=120");
  EXPECT_EQ(seam.frames(), (std::vector<int64_t>{60, 120}));
  EXPECT_FALSE(seam.fails_now(59));
  EXPECT_TRUE(seam.fails_now(60));
  EXPECT_FALSE(seam.fails_now(60)) << "the reopened encoder is given the frame again";
  EXPECT_TRUE(seam.fails_now(120));
  EXPECT_TRUE(seam.frames().empty());
}

TEST(EncoderFaultSeam, AnythingItCannotReadInjectsNothing) {
  for (const char* text : {"", "fail_at_frame", "fail_at_frame=", "fail_at_frame=x", "fail_at_frame=-1",
                           "fail_at_frame=5,explode=1", "fail_at_frame=5x"})
    EXPECT_TRUE(EncoderFaultSeam::parse(text).frames().empty()) << text;
}

}  // namespace
}  // namespace cunbo
