// Benchmark entry point: `dotnet run -c Release --project bench/Pharos.Bench -- <name>`.
// The same OpenMP wait policy as `pharos` (set before the first tensor; peers inherit it, so both sides wait alike).
Pharos.Models.OpenMpWaitPolicy.LimitSpinning();
return Pharos.Bench.BenchCatalog.Run(args);
