// On a 2-core laptop the stream matters more than the window's frame rate: the UI thread (and
// what it starts: the renderer's own threads, font builds) gives way to the pipeline when the
// CPU is short, instead of competing with it as an equal.
#pragma once

namespace cunbo {

// The calling thread, and the threads it creates from now on, yield the CPU to normal threads
// (a nice value of +5). Threads created before keep their priority.
void yield_to_the_pipeline();

}  // namespace cunbo
