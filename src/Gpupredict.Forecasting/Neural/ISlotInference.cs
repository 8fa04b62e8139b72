namespace Gpupredict.Forecasting.Neural;

/// <summary>A recurrent network's batched streaming pass over per-application slots: advance the state, then read the quantile head.</summary>
internal interface ISlotInference
{
    /// <summary>Feeds each slot its raw demand (3 per slot) as the next step: one cell step per slot.</summary>
    void Advance(ReadOnlySpan<float> p, LstmSlots s, ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs);

    /// <summary>Writes each slot's quantiles (Horizon × Levels × 3, raw units, non-crossing) from its current state.</summary>
    void Quantiles(ReadOnlySpan<float> p, LstmSlots s, ReadOnlySpan<int> slots, Span<float> output);
}
