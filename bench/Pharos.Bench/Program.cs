// Benchmark entry point: `dotnet run -c Release --project bench/Pharos.Bench -- <name>`.
return Pharos.Bench.BenchCatalog.Run(args);
