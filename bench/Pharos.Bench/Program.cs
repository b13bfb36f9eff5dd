// Benchmark entry point: `dotnet run -c Release --project bench/Pharos.Bench -- <name>`.
// Pharos as `pharos` runs it: tcmalloc preloaded where installed (the peers are started without it).
Pharos.Models.NativeAllocator.PreloadByReexec();
// The same OpenMP wait policy as `pharos` (set before the first tensor; peers inherit it, so both sides wait alike).
Pharos.Models.OpenMpWaitPolicy.LimitSpinning();
return Pharos.Bench.BenchCatalog.Run(args);
