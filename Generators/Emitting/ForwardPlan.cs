using System.Collections.Generic;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// The buffers and steps of a batched forward pass, derived from a spec: which value each step reads and writes,
/// and where each value lives in the per-example workspace. A dense layer followed by an activation is one fused
/// step (GEMM, then bias and activation in one pass). Identity activations are dropped.
/// </summary>
internal sealed class ForwardPlan
{
    private ForwardPlan(List<PlanStep> steps, PlanValue input, int workspace, int maxWidth)
    {
        Steps = steps;
        Input = input;
        Workspace = workspace;
        MaxWidth = maxWidth;
    }

    public IReadOnlyList<PlanStep> Steps { get; }

    public PlanValue Input { get; }

    public PlanValue Output => Steps[Steps.Count - 1].Out;

    /// <summary>Elements of workspace per example for all values except the input.</summary>
    public int Workspace { get; }

    /// <summary>The widest value (input included): the size of each backward gradient buffer per example.</summary>
    public int MaxWidth { get; }

    /// <summary>
    /// Builds the plan. With <paramref name="keepPreactivations"/> (for backward passes) a fused step keeps its
    /// pre-activation z and its activation a in separate buffers; without, the activation overwrites z in place.
    /// </summary>
    public static ForwardPlan Create(NetworkSpec spec, bool keepPreactivations)
    {
        var input = new PlanValue("inputs", spec.InputSize, -1);
        var steps = new List<PlanStep>();
        var current = input;
        int offset = 0, maxWidth = spec.InputSize;
        var layers = spec.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            if (layer.Kind == LayerKind.Dense)
            {
                var z = new PlanValue($"z{layer.DenseIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                if (layer.OutputWidth > maxWidth) maxWidth = layer.OutputWidth;
                var next = i + 1 < layers.Count ? layers[i + 1] : null;
                if (next is { Kind: LayerKind.Activation } && next.Activation != OpKind.Identity)
                {
                    PlanValue a = z;
                    if (keepPreactivations)
                    {
                        a = new PlanValue($"a{layer.DenseIndex}", layer.OutputWidth, offset);
                        offset += layer.OutputWidth;
                    }
                    steps.Add(new PlanStep(layer, next, current, z, a));
                    current = a;
                    i++;
                }
                else
                {
                    steps.Add(new PlanStep(layer, null, current, z, z));
                    current = z;
                }
            }
            else if (layer.Activation != OpKind.Identity)
            {
                var h = new PlanValue($"h{layer.ModuleIndex}", layer.OutputWidth, offset);
                offset += layer.OutputWidth;
                steps.Add(new PlanStep(null, layer, current, current, h));
                current = h;
            }
        }
        return new ForwardPlan(steps, input, offset, maxWidth);
    }
}

/// <summary>A buffer of <see cref="Width"/> elements per example at <see cref="Offset"/> in the workspace (-1: the input).</summary>
internal sealed record PlanValue(string Name, int Width, int Offset);

/// <summary>
/// One step: a dense layer (<see cref="Dense"/>), an activation (<see cref="Activation"/>) or both fused.
/// <see cref="In"/> is read; <see cref="Z"/> is the dense output (the pre-activation); <see cref="Out"/> is the result.
/// </summary>
internal sealed record PlanStep(LayerSpec? Dense, LayerSpec? Activation, PlanValue In, PlanValue Z, PlanValue Out);
