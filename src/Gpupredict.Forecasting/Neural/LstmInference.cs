namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Streaming inference over many slots at once, allocation-free. Slots are processed in blocks of
/// <see cref="Block"/>: the matrix products go through <see cref="BlockedGemm"/>, which reuses each
/// weight load for every slot of the block. Every
/// slot's arithmetic is the same sequence whatever the block, so one slot at a time and a batch
/// give bit-identical results.
/// </summary>
internal sealed class LstmInference
{
    /// <summary>Slots per block.</summary>
    public const int Block = 8;

    private readonly LstmLayout _l;
    private readonly float[] _xh, _z, _hBlock, _raw, _values, _scratch, _tanhC;

    public LstmInference(LstmLayout layout)
    {
        _l = layout;
        _xh = new float[Block * layout.Inputs];
        _z = new float[Block * layout.Gates];
        _hBlock = new float[Block * layout.Hidden];
        _raw = new float[Block * layout.Outputs];
        _values = new float[layout.Outputs];
        _scratch = new float[layout.Outputs];
        _tanhC = new float[layout.Hidden];
    }

    /// <summary>Advances each slot one cell step on its raw input (slots × 3: SM fraction, bytes/s, bytes).</summary>
    public void Advance(ReadOnlySpan<float> p, LstmNormaliser n, LstmSlots s, ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs)
    {
        for (int b = 0; b < slots.Length; b += Block)
        {
            int count = Math.Min(Block, slots.Length - b);
            AdvanceBlock(p, n, s, slots.Slice(b, count), inputs.Slice(b * 3, count * 3));
        }
    }

    /// <summary>Writes each slot's quantiles from its current h, laid out slots × [horizon][level][resource], in raw units.</summary>
    public void Quantiles(ReadOnlySpan<float> p, LstmNormaliser n, LstmSlots s, ReadOnlySpan<int> slots, Span<float> output)
    {
        int outputs = _l.Outputs;
        for (int b = 0; b < slots.Length; b += Block)
        {
            int count = Math.Min(Block, slots.Length - b);
            for (int i = 0; i < count; i++)
            {
                s.H.AsSpan(slots[b + i] * _l.Hidden, _l.Hidden).CopyTo(_hBlock.AsSpan(i * _l.Hidden, _l.Hidden));
            }

            BlockedGemm.Multiply(_hBlock, _l.Hidden, p.Slice(_l.HeadOffset, _l.Hidden * outputs), p.Slice(_l.HeadBiasOffset, outputs), _raw, count);
            for (int i = 0; i < count; i++)
            {
                Emit(n, _raw.AsSpan(i * outputs, outputs), output.Slice((b + i) * outputs, outputs));
            }
        }
    }

    private void AdvanceBlock(ReadOnlySpan<float> p, LstmNormaliser n, LstmSlots s, ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs)
    {
        int hidden = _l.Hidden, gates = _l.Gates, width = _l.Inputs;
        for (int i = 0; i < slots.Length; i++)
        {
            Features(n, s, slots[i], inputs.Slice(i * 3, 3), _xh.AsSpan(i * width, width));
        }

        BlockedGemm.Multiply(_xh, width, p[..(width * gates)], p.Slice(_l.BiasOffset, gates), _z, slots.Length);

        for (int i = 0; i < slots.Length; i++)
        {
            Span<float> z = _z.AsSpan(i * gates, gates);
            LstmCell.Activate(z, hidden);
            int slot = slots[i];
            LstmCell.Update(z, s.C.AsSpan(slot * hidden, hidden), _tanhC, s.H.AsSpan(slot * hidden, hidden));
        }
    }

    /// <summary>[x; Δx; h] of one slot, and remembers x for the next delta.</summary>
    private void Features(LstmNormaliser n, LstmSlots s, int slot, ReadOnlySpan<float> raw, Span<float> xh)
    {
        Span<float> previous = s.Previous.AsSpan(slot * 3, 3);
        for (int r = 0; r < 3; r++)
        {
            float x = n.Normalise(r, raw[r]);
            xh[r] = x;
            xh[3 + r] = s.Stepped[slot] ? x - previous[r] : 0f;
            previous[r] = x;
        }

        s.Stepped[slot] = true;
        s.H.AsSpan(slot * _l.Hidden, _l.Hidden).CopyTo(xh[LstmLayout.Features..]);
    }

    /// <summary>Monotone quantiles, de-normalised per resource, scattered to [horizon][level][resource].</summary>
    private void Emit(LstmNormaliser n, ReadOnlySpan<float> raw, Span<float> output)
    {
        QuantileHead.Forward(raw, _values, _scratch, _l.LevelCount, _l.Median);
        int perResource = _l.Horizon * _l.LevelCount;
        for (int r = 0; r < 3; r++)
        {
            n.Denormalise(r, _values.AsSpan(r * perResource, perResource));
        }

        for (int h = 0; h < _l.Horizon; h++)
        {
            for (int q = 0; q < _l.LevelCount; q++)
            {
                int at = ((h * _l.LevelCount) + q) * 3;
                output[at] = _values[_l.Output(0, h, q)];
                output[at + 1] = _values[_l.Output(1, h, q)];
                output[at + 2] = _values[_l.Output(2, h, q)];
            }
        }
    }
}
