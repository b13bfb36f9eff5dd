// How many micro-batches each rank computes per optimizer step. By default the recipe's gradient_accumulation is per rank
// (global batch = micro_batch_size × gradient_accumulation × world size); train.global_batch_size instead fixes the
// global batch for any world size, and the world size must then split it into whole micro-batches per rank.
namespace Pharos.Training.Recipes;

public static class GlobalBatch
{
    public static int MicroBatchesPerRank(TrainSection train, int worldSize)
    {
        if (train.GlobalBatchSize == 0) return train.GradientAccumulation;
        long perStep = (long)train.MicroBatchSize * worldSize;
        if (train.GlobalBatchSize % perStep != 0)
            throw new RecipeException("train.global_batch_size",
                $"{train.GlobalBatchSize} rows do not split into micro-batches of train.micro_batch_size={train.MicroBatchSize} on {worldSize} ranks: "
                + $"make it a multiple of {perStep} (train.micro_batch_size × world size), or change train.micro_batch_size or the number of ranks");
        int perRank = (int)(train.GlobalBatchSize / perStep);
        if (train.GradientAccumulation != 1 && train.GradientAccumulation != perRank)
            throw new RecipeException("train.gradient_accumulation",
                $"is {train.GradientAccumulation}, but train.global_batch_size={train.GlobalBatchSize} with train.micro_batch_size={train.MicroBatchSize} on {worldSize} ranks needs {perRank}: leave gradient_accumulation out when global_batch_size is set");
        return perRank;
    }
}
