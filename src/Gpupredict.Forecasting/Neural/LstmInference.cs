using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Gpupredict.Forecasting.Neural;

/// <summary>
/// Streaming inference over many slots at once, allocation-free. Slots are processed in blocks of
/// <see cref="Block"/>: the matrix products go through <see cref="BlockedGemm"/>, which reuses each
/// weight load for every slot of the block, and the nonlinearities (gate σ/tanh, tanh(c), softplus,
/// exp) run once over the whole block. A partial block is padded with zero rows, so every call on a
/// block has the same shape: every slot's arithmetic is the same sequence whatever the block, and one
/// slot at a time and a batch give bit-identical results.
/// </summary>
internal sealed class LstmInference : ISlotInference
{
    /// <summary>Slots per block.</summary>
    public const int Block = BlockedGemm.Rows;

    private readonly LstmLayout _l;

    // Per block: [x; Δx; h] rows, σ pre-activations (i, f, o per row), tanh pre-activations (g per row),
    // c then c', tanh(c'), h for the head, raw head outputs, quantiles, softplus scratch, one slot's scaling.
    private readonly float[] _xh, _zs, _zg, _c, _tanhC, _hBlock, _raw, _values, _scratch, _scaling;

    public LstmInference(LstmLayout layout)
    {
        _l = layout;
        int hidden = layout.Hidden;
        _xh = new float[Block * layout.Inputs];
        _zs = new float[Block * 3 * hidden];
        _zg = new float[Block * hidden];
        _c = new float[Block * hidden];
        _tanhC = new float[Block * hidden];
        _hBlock = new float[Block * hidden];
        _raw = new float[Block * layout.Outputs];
        _values = new float[Block * layout.Outputs];
        _scratch = new float[Block * layout.Outputs];
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
        int outputs = _l.Outputs, hidden = _l.Hidden;
        ReadOnlySpan<float> head = p.Slice(_l.HeadOffset, hidden * outputs);
        ReadOnlySpan<float> headBias = p.Slice(_l.HeadBiasOffset, outputs);
        for (int b = 0; b < slots.Length; b += Block)
        {
            int count = Math.Min(Block, slots.Length - b);
            for (int i = 0; i < count; i++)
            {
                s.H.AsSpan(slots[b + i] * hidden, hidden).CopyTo(_hBlock.AsSpan(i * hidden, hidden));
            }

            _hBlock.AsSpan(count * hidden).Clear();
            BlockedGemm.Multiply(_hBlock, hidden, head, outputs, headBias, _raw);
            Emit(s, slots.Slice(b, count), output.Slice(b * outputs, count * outputs));
        }
    }

    private void AdvanceBlock(ReadOnlySpan<float> p, LstmSlots s, ReadOnlySpan<int> slots, ReadOnlySpan<float> inputs)
    {
        int hidden = _l.Hidden, gates = _l.Gates, width = _l.Inputs, count = slots.Length;
        for (int i = 0; i < count; i++)
        {
            int slot = slots[i];
            Features(s, slot, inputs.Slice(i * 3, 3), _xh.AsSpan(i * width, width));
            s.C.AsSpan(slot * hidden, hidden).CopyTo(_c.AsSpan(i * hidden, hidden));
        }

        _xh.AsSpan(count * width).Clear();
        _c.AsSpan(count * hidden).Clear();

        // The σ gates (i, f, o) and the tanh gate (g) as two products, so each nonlinearity is one call per block.
        int sigmoid = 3 * hidden;
        BlockedGemm.Multiply(_xh, width, p[..(width * gates)], gates, p.Slice(_l.BiasOffset, sigmoid), _zs);
        BlockedGemm.Multiply(_xh, width, p.Slice(sigmoid, ((width - 1) * gates) + hidden), gates, p.Slice(_l.BiasOffset + sigmoid, hidden), _zg);
        TensorPrimitives.Sigmoid(_zs, _zs);
        TensorPrimitives.Tanh(_zg, _zg);

        // c' = f∘c + i∘g (f∘c and i∘g each rounded, then added, as TensorPrimitives.Multiply / MultiplyAdd do).
        ref float zs = ref MemoryMarshal.GetArrayDataReference(_zs);
        ref float zg = ref MemoryMarshal.GetArrayDataReference(_zg);
        ref float c = ref MemoryMarshal.GetArrayDataReference(_c);
        for (int i = 0; i < Block; i++)
        {
            ref float gi = ref Unsafe.Add(ref zs, i * sigmoid);
            ref float gf = ref Unsafe.Add(ref gi, hidden);
            ref float gg = ref Unsafe.Add(ref zg, i * hidden);
            ref float ci = ref Unsafe.Add(ref c, i * hidden);
            int k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; k + 8 <= hidden; k += 8)
                {
                    Vector256<float> fc = Vector256.LoadUnsafe(ref gf, (nuint)k) * Vector256.LoadUnsafe(ref ci, (nuint)k);
                    Vector256<float> ig = Vector256.LoadUnsafe(ref gi, (nuint)k) * Vector256.LoadUnsafe(ref gg, (nuint)k);
                    (ig + fc).StoreUnsafe(ref ci, (nuint)k);
                }
            }

            for (; k < hidden; k++)
            {
                float fc = Unsafe.Add(ref gf, k) * Unsafe.Add(ref ci, k);
                float ig = Unsafe.Add(ref gi, k) * Unsafe.Add(ref gg, k);
                Unsafe.Add(ref ci, k) = ig + fc;
            }
        }

        TensorPrimitives.Tanh(_c, _tanhC);
        for (int i = 0; i < count; i++)
        {
            int slot = slots[i];
            _c.AsSpan(i * hidden, hidden).CopyTo(s.C.AsSpan(slot * hidden, hidden));
            TensorPrimitives.Multiply(_zs.AsSpan((i * sigmoid) + (2 * hidden), hidden), _tanhC.AsSpan(i * hidden, hidden), s.H.AsSpan(slot * hidden, hidden));
        }
    }

    /// <summary>[x; Δx; h] of one slot, and remembers x for the next delta.</summary>
    private void Features(LstmSlots s, int slot, ReadOnlySpan<float> raw, Span<float> xh)
    {
        s.Features(slot, raw, xh[..StepFeatures.Count]);
        s.H.AsSpan(slot * _l.Hidden, _l.Hidden).CopyTo(xh[StepFeatures.Count..]);
    }

    /// <summary>
    /// From the block's raw head outputs: monotone quantiles for the whole block in one pass, then each
    /// slot's mapped to raw units around its own scaling (<see cref="RecurrentHead.Scatter"/>).
    /// </summary>
    private void Emit(LstmSlots s, ReadOnlySpan<int> slots, Span<float> output)
    {
        int outputs = _l.Outputs;
        QuantileHead.Forward(_raw, _values, _scratch, _l.LevelCount, _l.Median);
        for (int i = 0; i < slots.Length; i++)
        {
            s.Scaling(slots[i], _scaling);
            RecurrentHead.Scatter(_values.AsSpan(i * outputs, outputs), _l.Horizon, _l.LevelCount, _scaling, _scratch, output.Slice(i * outputs, outputs));
        }
    }
}
