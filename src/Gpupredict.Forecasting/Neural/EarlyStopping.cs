namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// The epoch loop every neural forecaster shares: a cosine learning-rate decay from the peak to 5 %
/// over the epoch budget, the validation loss measured before training (the untrained network is a
/// candidate) and after every epoch, the parameters of the lowest validation loss kept, and a stop
/// after <c>patience</c> epochs without improvement. The model supplies one epoch of training and
/// one validation pass; deterministic when they are.
/// </summary>
internal static class EarlyStopping
{
    /// <summary>The learning rate of 1-based <paramref name="epoch"/> of <paramref name="epochs"/>: cosine from <paramref name="peak"/> down to 5 % of it.</summary>
    public static float LearningRate(float peak, int epoch, int epochs) =>
        peak * (0.05f + (0.95f * 0.5f * (1f + MathF.Cos(MathF.PI * (epoch - 1) / epochs))));

    /// <summary>
    /// Trains <paramref name="p"/> in place and returns the curve (epoch 0: the parameters as given).
    /// <paramref name="epoch"/> runs one epoch at the given learning rate and returns its mean training
    /// loss; <paramref name="validate"/> returns the mean validation loss of the current parameters
    /// (NaN without validation data: every epoch then counts as an improvement, so the last is kept).
    /// </summary>
    public static List<TrainingEpoch> Run(float[] p, int maxEpochs, int patience, float learningRate, Func<float, double> epoch, Func<double> validate)
    {
        float[] best = (float[])p.Clone();
        double bestLoss = validate();
        var curve = new List<TrainingEpoch> { new(0, double.NaN, bestLoss, 0f) };
        int stale = 0;
        for (int e = 1; e <= maxEpochs; e++)
        {
            float lr = LearningRate(learningRate, e, maxEpochs);
            double trainLoss = epoch(lr);
            double loss = validate();
            curve.Add(new TrainingEpoch(e, trainLoss, loss, lr));
            if (double.IsNaN(loss) || loss < bestLoss)
            {
                bestLoss = loss;
                p.CopyTo(best, 0);
                stale = 0;
            }
            else if (++stale >= patience)
            {
                break;
            }
        }

        best.CopyTo(p, 0);
        return curve;
    }
}
