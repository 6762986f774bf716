# Cunbo Studio: two commands do everything on a fresh Debian 12 machine.
#   make run    install what is missing, build, run the main job on embedded defaults
#   make test   the same, then every test (Release, then ASan/UBSan (-O1), then the unit
#               suites and the real-time whole-program tests under ThreadSanitizer, then fuzzing;
#               tests/run_all.sh compiles the sanitizer builds behind the Release tests)
# Other targets: deps, build, build-asan, build-tsan, test-release, test-asan, test-tsan (each
# builds what it runs), bench, fuzz (60 s of libFuzzer on the API parsers), clean.

JOBS ?= $(shell nproc)
CUNBO := build/release/client/cunbo

.PHONY: windows windows-deps test-windows all deps build build-asan build-tsan run test test-release test-asan test-tsan test-fuzz ctest-release ctest-asan ctest-tsan bench fuzz clean

all: build

deps:
	@sh third_party/install-packages.sh

build/release/build.ninja:
	cmake --preset release

build/asan/build.ninja:
	cmake --preset asan

build: deps build/release/build.ninja
	cmake --build --preset release -j $(JOBS)

build-asan: deps build/asan/build.ninja
	cmake --build --preset asan -j $(JOBS)

build/tsan/build.ninja:
	cmake --preset tsan

build-tsan: deps build/tsan/build.ninja
	cmake --build --preset tsan -j $(JOBS)

# Windows x64, cross-built with mingw-w64 (README, "Windows"): the dependencies from Debian's
# source packages once into build/windows/deps (stamped; later builds reuse it), then Cunbo and
# its unit tests into build/windows/app, then the installer and the portable zip into dist/.
WINDOWS_BUILD := build/windows/app
windows-deps:
	@sh third_party/install-packages.sh third_party/windows/debian-packages.txt
	@sh third_party/windows/build-deps.sh

$(WINDOWS_BUILD)/build.ninja:
	cmake -S . -B $(WINDOWS_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_TOOLCHAIN_FILE=third_party/windows/mingw-toolchain.cmake

windows: windows-deps $(WINDOWS_BUILD)/build.ninja
	cmake --build $(WINDOWS_BUILD) -j $(JOBS)
	@sh third_party/windows/package.sh $(WINDOWS_BUILD) $$(sed -n 's/^project(cunbo VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)

# The Windows build under Wine (tests/e2e/windows_test.cpp): its unit tests, cunbo.exe's
# practice and stream, the installer and the installed window. Not yet part of `make test`.
test-windows: windows build
	ctest --preset release -R '^Windows\.' --output-on-failure

# The main job: the studio window where there is a display; without one, a 10-second practice
# recording from the test sources (with the product card and order banners), saying where it went.
run: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then $(CUNBO); else $(CUNBO) practice --duration 10 --rotate 4; fi

test-release: build
	@$(MAKE) --no-print-directory ctest-release
ctest-release:
	ctest --preset release -j 2 -E '^Windows\.'

# AddressSanitizer + UBSan: every test but the real-time scenarios that mostly wait on timers
# (ASAN_SKIP: those over 8 s in the Release pass and two of the three refused certificates, about
# 8.5 min together), which the Release pass runs in full; the code they walk through (reconnects,
# skips, the recorder, reopened devices, the sound and picture filters) runs under ASan in the
# shorter whole-program and unit tests.
ASAN_SKIP ?= ^(Stream\.(ALinkSlowerThanTheSound|OneFrozenDestination|AStallLongerThanTheWriteTimeout|AdaptsToAThrottledUplink|AFlakyEdge|ANeverReachedServer|SrtReconnects|ADestinationFarSlower|AnUplinkBelowTheFloor|AnUnpluggedMicrophone|ALostCamera|AfterAReconnect|AFullDisk|ReconnectsAfterServerRestart|AnEncoderThatFailsOnce|UnreachableDestinationsAreRetried|GoesLiveWhereThePlatformSays|AMiddleboxThatResets)|StudioWindow\.FifteenSeconds|StudioStall\.(AStalledUiThread|AdaptiveBitrate)|StreamRtmps\.NeverSendsTheKeyTo(ACertificateForAnotherName|AnExpiredCertificate)|Overlay\.(AnOrdersBanner|HostileProducts)|FileSource\.AMicrophoneWhoseClock|UplinkProbe\.|UplinkCheck\.|CleanSound\.ThePause|Enhance\.ADarkRoom)|$(ASAN_SKIP_REPEATS)
# ... and the whole-program tests that repeat, under ASan, code a shorter one already walks
# there: the same session in each container, size and language, the test fixtures' self-checks,
# device listing, the probe, the looped clips, SRT's variants, the overlay's pixel comparison.
ASAN_SKIP_REPEATS ?= ^(HostLanguageTest\.|StudioWindowSizes/|StreamFixtures\.|Fixtures\.|Fixtures/|LockOut\.|Devices\.|ProbeCommand\.|Practice/|FileSource\.|Stream\.(OneEncodeFeedsTwo|SrtTakesIts|SrtWithTheWrong|AStoredDuration|ConnectionsCutWhileLive|AnEncoderThatFailsAgain)|Overlay\.TheCardInTheRecording)
test-asan: build-asan
	@$(MAKE) --no-print-directory ctest-asan
ctest-asan:
	ctest --preset asan -j 2 -E "$(ASAN_SKIP)|^Windows\."

# ThreadSanitizer: every unit suite (media, client, ui), and the whole-program tests that still
# keep real time when our code runs several times slower (TSAN_E2E: sessions, keys,
# reconnects, adaptive bitrate, the feed, stopping, the window). Those that count every frame of
# a recording around an outage need a real-time machine: they run in the Release and ASan passes.
TSAN_E2E ?= ^(Feed\.|Stopping\.|Practice\.WritesTo|Stream\.(KeysNever|InlineKeys|KeyFile|AdaptsTo|ReconnectNow|ACatalog)|StudioWindow\.(FirstStart|IdleWith|LivePractice|ClosedPort|RefusedKey|Settings|ACameraNotThereYet))
# ... and not, among the unit suites, the studio session that waits for a network camera (a 720p
# session beside a second 720p encode for the camera, 18 s at TSan's pace, starving the test run
# beside it under -j 2): its threads (the source waited for, the slate, the window's banner) run
# under TSan in StudioWindow.ACameraNotThereYet… above, one test at a time.
TSAN_SKIP ?= ^StudioTest\.ACameraNotThereYet
test-tsan: build-tsan
	@$(MAKE) --no-print-directory ctest-tsan
ctest-tsan:
	ctest --preset tsan -j 2 -L "media|client|ui" -E "$(TSAN_SKIP)"
	ctest --preset tsan -L e2e -R "$(TSAN_E2E)"

# The platform API's response parsers under libFuzzer (clang, ASan/UBSan): 60 s by hand, 10 s in `make test`.
FUZZ_SECONDS ?= 60

fuzz: deps
	tests/fuzz/run.sh $(FUZZ_SECONDS)

test-fuzz: deps
	tests/fuzz/run.sh 10

test:
	@tests/run_all.sh

bench: build
	cmake --build --preset release -j $(JOBS) --target compose_bench enhance_bench
	tests/bench/practice_vs_ffmpeg.sh build/release --with-compose
	tests/bench/studio_bench.sh build/release

clean:
	rm -rf build
