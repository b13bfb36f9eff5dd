// Submits a plan to Slurm: one sbatch job array per stage (split at MaxArraySize), each depending on the previous stage's arrays.
using Pharos.IO;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pharos.Curation.Errors;

namespace Pharos.Curation.Pipeline;

public sealed class SlurmExecutor(string pharosCommand, TextWriter? log = null)
{
    public static string ScriptDir(ITaskPlan plan) => Path.Combine(plan.OutputDir, "_slurm");

    /// <summary>Writes and submits the scripts; returns the job ids of the last stage's arrays.</summary>
    public List<string> Submit(ITaskPlan plan)
    {
        var slurm = plan.Slurm;
        var maxArray = Math.Max(1, slurm.MaxArraySize - 1); // MaxArraySize=1001 allows indices 0..1000; keep chunks ≤ 1000
        Directory.CreateDirectory(Path.Combine(ScriptDir(plan), "logs"));
        List<string> previous = [];
        foreach (var stage in plan.TaskStages)
        {
            var todo = Enumerable.Range(0, stage.TaskCount).Where(t => !stage.IsDone(t)).ToList();
            if (todo.Count == 0)
            {
                log?.WriteLine($"{stage.Id}: complete, not submitted");
                continue;
            }
            var jobs = new List<string>();
            for (var offset = 0; offset < stage.TaskCount; offset += maxArray)
            {
                var count = Math.Min(maxArray, stage.TaskCount - offset);
                var script = WriteScript(plan, stage, offset, count);
                var args = new List<string> { "--parsable" };
                if (previous.Count > 0)
                    args.Add("--dependency=afterok:" + string.Join(':', previous));
                args.Add(script);
                var id = Sbatch(args).Split(';')[0].Trim();
                jobs.Add(id);
                log?.WriteLine($"{stage.Id}: submitted job {id} (tasks {offset}..{offset + count - 1})");
            }
            previous = jobs;
        }
        return previous;
    }

    string WriteScript(ITaskPlan plan, ITaskStage stage, int offset, int count)
    {
        var s = plan.Slurm;
        var logs = Path.Combine(ScriptDir(plan), "logs");
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name=pharos-{stage.Id}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{count - 1}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={s.CpusPerTask}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={s.Time}\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={logs}/{stage.Id}_{offset}_%a.log\n");
        if (s.Partition is not null) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={s.Partition}\n");
        if (s.MemPerCpu is not null) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --mem-per-cpu={s.MemPerCpu}\n");
        foreach (var extra in s.SbatchArgs) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH {extra}\n");
        sb.Append("set -euo pipefail\n");
        // The task is offset + SLURM_ARRAY_TASK_ID; a finished task (marker present) exits at once, so resubmitting is safe.
        sb.Append(CultureInfo.InvariantCulture, $"exec {pharosCommand} {plan.TaskCommand(stage)} --task-offset {offset}\n");
        var path = Path.Combine(ScriptDir(plan), $"{stage.Id}_{offset}.sbatch");
        AtomicFile.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>
    /// Polls squeue until none of the jobs is queued or running (accounting may be off, so sacct is not used). The whole
    /// queue is listed rather than `-j ids`, which fails once finished jobs are purged; a failed squeue (a busy controller)
    /// proves nothing, so it is retried rather than read as "done".
    /// </summary>
    public static void Wait(IEnumerable<string> jobs, TimeSpan timeout)
    {
        var ids = jobs.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var (code, output) = TryRun("squeue", ["-h", "-o", "%i"]);
            // Array jobs show as "85_[0-1]" or "85_3": the job id is before the underscore.
            if (code == 0 && !output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Any(l => ids.Contains(l.Trim().Split('_')[0])))
                return;
            Thread.Sleep(500);
        }
        throw new CurationException($"Slurm jobs {string.Join(',', ids)} still queued after {timeout.TotalSeconds:0} s");
    }

    static string Sbatch(List<string> args)
    {
        // A busy controller answers "Socket timed out"; a few tries with a pause get through.
        for (var attempt = 1; ; attempt++)
        {
            var (code, output) = TryRun("sbatch", args);
            if (code == 0)
                return output;
            if (attempt == 3)
                throw new CurationException($"sbatch failed ({code}): {output.Trim()}");
            Thread.Sleep(1000 * attempt);
        }
    }

    static (int Code, string Output) TryRun(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new CurationException($"cannot run {file}: {e.Message} (is Slurm installed?)"); }
        using (p)
        {
            var error = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, p.ExitCode == 0 ? output : error.Result);
        }
    }

}
