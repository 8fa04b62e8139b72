namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Streaming inference of a GRU or Elman network over many slots at once, allocation-free. Slots
/// go in blocks of <see cref="Block"/> through <see cref="BlockedGemm"/> (input and recurrent
/// products, then the head); every slot's arithmetic is the same whatever its block, so one slot at
/// a time and a batch give bit-identical results.
/// </summary>
internal sealed class RecurrentInference : ISlotInference
{
    /// <summary>Slots per block.</summary>
    public const int Block = 8;

    private readonly RecurrentLayout _l;
    private readonly IRecurrentCell _cell;
    private readonly RecurrentHead _head;
    private readonly float[] _x, _zx, _zh, _hBlock, _raw, _cache, _scaling;

    public RecurrentInference(RecurrentLayout layout, IRecurrentCell cell)
    {
        _l = layout;
        _cell = cell;
        _head = new RecurrentHead(layout);
        _x = new float[Block * StepFeatures.Count];
        _zx = new float[Block * layout.Gates];
        _zh = new float[Block * layout.Gates];
        _hBlock = new float[Block * layout.Hidden];
        _raw = new float[Block * layout.Outputs];
        _cache = new float[cell.CacheUnits * layout.Hidden];
        _scaling = new float[StepFeatures.ScalingCount];
    }

    /// <summary>Advances each slot one cell step on its raw input (slots × 3: SM fraction, bytes/s, bytes).</summary>
    public void Advance(ReadOnlySpan<float> p, LstmSlots s, ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs)
    {
        for (int b = 0; b < slots.Length; b += Block)
        {
            int count = Math.Min(Block, slots.Length - b);
            AdvanceBlock(p, s, slots.Slice(b, count), inputs.Slice(b * 3, count * 3));
        }
    }

    /// <summary>Writes each slot's quantiles from its current h, laid out slots × [horizon][level][resource], in raw units.</summary>
    public void Quantiles(ReadOnlySpan<float> p, LstmSlots s, ReadOnlySpan<int> slots, Span<float> output)
    {
        int outputs = _l.Outputs;
        for (int b = 0; b < slots.Length; b += Block)
        {
            int count = Math.Min(Block, slots.Length - b);
            Gather(s, slots.Slice(b, count));
            BlockedGemm.Multiply(_hBlock, _l.Hidden, p.Slice(_l.HeadOffset, _l.Hidden * outputs), p.Slice(_l.HeadBiasOffset, outputs), _raw, count);
            for (int i = 0; i < count; i++)
            {
                s.Scaling(slots[b + i], _scaling);
                _head.Emit(_raw.AsSpan(i * outputs, outputs), _scaling, output.Slice((b + i) * outputs, outputs));
            }
        }
    }

    private void AdvanceBlock(ReadOnlySpan<float> p, LstmSlots s, ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs)
    {
        int hidden = _l.Hidden, gates = _l.Gates, features = StepFeatures.Count;
        for (int i = 0; i < slots.Length; i++)
        {
            s.Features(slots[i], inputs.Slice(i * 3, 3), _x.AsSpan(i * features, features));
        }

        Gather(s, slots);
        BlockedGemm.Multiply(_x, features, p[.._l.RecurrentOffset], p.Slice(_l.BiasOffset, gates), _zx, slots.Length);
        BlockedGemm.Multiply(_hBlock, hidden, p.Slice(_l.RecurrentOffset, hidden * gates), p.Slice(_l.RecurrentBiasOffset, gates), _zh, slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            _cell.Forward(_zx.AsSpan(i * gates, gates), _zh.AsSpan(i * gates, gates), _hBlock.AsSpan(i * hidden, hidden), _cache, s.H.AsSpan(slots[i] * hidden, hidden));
        }
    }

    /// <summary>Copies each slot's h into the block buffer.</summary>
    private void Gather(LstmSlots s, ReadOnlySpan<int> slots)
    {
        int hidden = _l.Hidden;
        for (int i = 0; i < slots.Length; i++)
        {
            s.H.AsSpan(slots[i] * hidden, hidden).CopyTo(_hBlock.AsSpan(i * hidden, hidden));
        }
    }
}
