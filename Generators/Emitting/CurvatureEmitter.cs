using System;
using System.Linq;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// Emits the Curvature part: <c>BackpropagateFactors</c>, the forward pass followed by a backward pass of c seed vectors
/// per example at once, handing every parametrised (dense or convolution) layer's input activations and factors to a
/// runtime visitor (the core of every Jacobian, GGN, KFAC and kernel quantity), and <c>ForwardTangent</c>, forward-mode
/// J v. Both run in evaluation mode: dropout is the identity.
/// </summary>
internal static class CurvatureEmitter
{
    private const string Gemm = "global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply";
    private const string Bias = "global::Dnn2Gp.Runtime.Cpu.BiasDriver";
    private const string Curvature = "global::Dnn2Gp.Runtime.Curvature";

    public static string Emit(NetworkSpec spec)
    {
        var w = new SourceWriter();
        string t = Literals.Type(spec.Element);
        var plan = ForwardPlan.Create(spec, keepPreactivations: true);
        int maxFactor = plan.Steps.Select(s => s.Out.Width).Concat(plan.Steps.Select(s => s.Z.Width)).Max();
        using (FileHeader.Open(w, spec, $"Back-propagated curvature factors and forward-mode tangents of {spec.TypeName}."))
        {
            w.Line("/// <summary>Per-example workspace of the curvature passes: every activation and pre-activation (elements).</summary>");
            w.Line($"private const int CurvatureWorkspace = {Literals.Int(Math.Max(1, plan.Workspace))};");
            w.Line();
            w.Line("/// <summary>The widest factor per seed: the largest pre-activation or activation a backward pass goes through.</summary>");
            w.Line($"private const int MaxFactorWidth = {Literals.Int(maxFactor)};");
            w.Line();
            EmitBackpropagate(w, spec, plan, t);
            w.Line();
            EmitForwardTangent(w, spec, plan, t);
        }
        return w.ToString();
    }

    private static void EmitBackpropagate(SourceWriter w, NetworkSpec spec, ForwardPlan plan, string t)
    {
        string one = Literals.One(spec.Element), zero = Literals.Zero(spec.Element);
        w.Line("/// <summary>");
        w.Line("/// Forward pass of <paramref name=\"n\"/> examples, then the c = seed.Count seeds per example back through every layer");
        w.Line("/// at once (factors [n, c, width]); each dense layer's input activations and factors go to <paramref name=\"visitor\"/>,");
        w.Line("/// last layer first. Serial: callers split batches across cores.");
        w.Line("/// </summary>");
        w.Line($"public static void BackpropagateFactors<TSeed, TVisitor>(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.ReadOnlySpan<{t}> targets, int start, int n, ref TSeed seed, ref TVisitor visitor)");
        w.Line($"    where TSeed : struct, {Curvature}.IOutputSeed<{t}>");
        using (w.Block($"    where TVisitor : struct, {Curvature}.IFactorVisitor<{t}>"))
        {
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckBatch(Name, parameters.Length, ParameterCount, inputs.Length, InputSize, n);");
            w.Line("int c = seed.Count;");
            w.Line($"{t}[] rented = global::System.Buffers.ArrayPool<{t}>.Shared.Rent(n * CurvatureWorkspace + 2 * n * c * MaxFactorWidth);");
            using (w.Block("try"))
            {
                w.Line($"global::System.Span<{t}> ws = rented;");
                ForwardEmitter.EmitForwardSteps(w, spec, plan, outputsName: null);
                w.Line($"visitor.Begin(start, n, {plan.Output.Name});");
                w.Line($"global::System.Span<{t}> f0 = ws.Slice(n * CurvatureWorkspace, n * c * MaxFactorWidth);");
                w.Line($"global::System.Span<{t}> f1 = ws.Slice(n * CurvatureWorkspace + n * c * MaxFactorWidth, n * c * MaxFactorWidth);");
                w.Line();
                int k = spec.OutputSize;
                w.Line($"// seeds: c combinations of the {k} outputs per example");
                string d = $"d{plan.Steps.Count}";
                w.Line($"global::System.Span<{t}> {d} = f0.Slice(0, n * c * {Literals.Int(k)});");
                w.Line($"seed.Fill({plan.Output.Name}, targets, start, n, {d});");
                int buffer = 0;
                int firstDense = plan.Steps.ToList().FindIndex(s => s.Dense is not null);
                for (int s = plan.Steps.Count - 1; s >= firstDense; s--)
                {
                    var step = plan.Steps[s];
                    w.Line();
                    w.Line($"// backward through {ForwardEmitter.Describe(step)}");
                    if (step.Activation is { } act)
                    {
                        string input = step.Dense is null ? step.In.Name : step.Z.Name;
                        w.Line($"global::Dnn2Gp.Runtime.Cpu.FactorDriver.Backward<{OpTable.TypeOf(act.Activation)}, {t}>({input}, {step.Out.Name}, {d}, n, c, {Literals.Int(step.Out.Width)});");
                    }
                    if (step.Pool is { } pool)
                    {
                        buffer = 1 - buffer;
                        string next = $"d{s}";
                        w.Line($"global::System.Span<{t}> {next} = f{buffer}.Slice(0, n * c * {Literals.Int(pool.InputWidth)});");
                        w.Line(SpatialEmitter.PoolBackward(pool, step.In.Name, d, next, "n", "c"));
                        d = next;
                    }
                    else if (step.IsConv)
                    {
                        var conv = step.Dense!;
                        w.Line($"visitor.Layer(Layers[{Literals.Int(conv.DenseIndex)}], {step.In.Name}, {d}, n, c);");
                        if (s > firstDense)
                        {
                            buffer = 1 - buffer;
                            string next = $"d{s}";
                            w.Line($"global::System.Span<{t}> {next} = f{buffer}.Slice(0, n * c * {Literals.Int(conv.InputWidth)});");
                            w.Line(SpatialEmitter.ConvBackwardInput(conv, d, next, "n * c"));
                            d = next;
                        }
                    }
                    else if (step.Dense is { } dense)
                    {
                        string inW = Literals.Int(dense.InputWidth), outW = Literals.Int(dense.OutputWidth);
                        w.Line($"visitor.Layer(Layers[{Literals.Int(dense.DenseIndex)}], {step.In.Name}, {d}, n, c);");
                        if (s > firstDense)
                        {
                            buffer = 1 - buffer;
                            string next = $"d{s}";
                            w.Line($"global::System.Span<{t}> {next} = f{buffer}.Slice(0, n * c * {inW});");
                            w.Line($"{Gemm}(false, false, n * c, {inW}, {outW}, {one}, {d}, {outW}, parameters.Slice({Literals.Int(dense.ParameterOffset)}, {Literals.Int(dense.WeightCount)}), {inW}, {zero}, {next}, {inW});");
                            d = next;
                        }
                    }
                }
                w.Line("visitor.End();");
            }
            using (w.Block("finally"))
            {
                w.Line($"global::System.Buffers.ArrayPool<{t}>.Shared.Return(rented);");
            }
        }
    }

    private static void EmitForwardTangent(SourceWriter w, NetworkSpec spec, ForwardPlan plan, string t)
    {
        string one = Literals.One(spec.Element), zero = Literals.Zero(spec.Element);
        w.Line("/// <summary>");
        w.Line("/// Forward mode on <paramref name=\"n\"/> examples: the outputs f(x) (unless <paramref name=\"outputs\"/> is empty) and");
        w.Line("/// J(x) v [n, OutputSize] along the parameter tangent <paramref name=\"tangent\"/>; the tangent of every value is");
        w.Line("/// carried beside it (ż = W ȧ + V a + v_b, ȧ = f′(z) ⊙ ż). Serial: callers split batches across cores.");
        w.Line("/// </summary>");
        using (w.Block($"public static void ForwardTangent(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> tangent, global::System.ReadOnlySpan<{t}> inputs, global::System.Span<{t}> outputs, global::System.Span<{t}> tangentOutputs, int n)"))
        {
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckBatch(Name, parameters.Length, ParameterCount, inputs.Length, InputSize, n);");
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckGradient(Name, tangent.Length, ParameterCount);");
            w.Line("global::Dnn2Gp.Runtime.NetworkArguments.CheckOutputs(Name, tangentOutputs.Length, OutputSize, n);");
            w.Line("if (!outputs.IsEmpty) global::Dnn2Gp.Runtime.NetworkArguments.CheckOutputs(Name, outputs.Length, OutputSize, n);");
            w.Line($"{t}[] rented = global::System.Buffers.ArrayPool<{t}>.Shared.Rent(2 * n * CurvatureWorkspace);");
            using (w.Block("try"))
            {
                w.Line($"global::System.Span<{t}> ws = rented;");
                var declared = new System.Collections.Generic.HashSet<string>();
                string Tangent(PlanValue v) => v.Offset < 0 ? "" : "t" + v.Name;
                void Declare(PlanValue v)
                {
                    if (v.Offset < 0 || !declared.Add(v.Name)) return;
                    w.Line($"global::System.Span<{t}> {v.Name} = ws.Slice(n * {Literals.Int(v.Offset)}, n * {Literals.Int(v.Width)});");
                    w.Line($"global::System.Span<{t}> t{v.Name} = ws.Slice(n * (CurvatureWorkspace + {Literals.Int(v.Offset)}), n * {Literals.Int(v.Width)});");
                }
                foreach (var step in plan.Steps)
                {
                    w.Line();
                    w.Line($"// {ForwardEmitter.Describe(step)}");
                    Declare(step.Z);
                    Declare(step.Out);
                    if (step.IsConv)
                    {
                        var conv = step.Dense!;
                        w.Line(SpatialEmitter.ConvForward(conv, "parameters", step.In.Name, step.Z.Name, "n", withBias: true));
                        w.Line(SpatialEmitter.ConvForward(conv, "tangent", step.In.Name, $"t{step.Z.Name}", "n", withBias: true));
                        if (step.In.Offset >= 0)
                        {
                            w.Line(SpatialEmitter.ConvForward(conv, "parameters", Tangent(step.In), $"t{step.Z.Name}", "n", withBias: false, accumulate: true));
                        }
                        if (step.Activation is { } convAct)
                        {
                            w.Line($"global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<{OpTable.TypeOf(convAct.Activation)}>({step.Z.Name}, {step.Out.Name});");
                            w.Line($"global::Dnn2Gp.Runtime.Cpu.BackwardDriver.Apply<{OpTable.TypeOf(convAct.Activation)}>({step.Z.Name}, {step.Out.Name}, t{step.Z.Name}, t{step.Out.Name});");
                        }
                    }
                    else if (step.Pool is { } pool)
                    {
                        w.Line(SpatialEmitter.PoolForward(pool, step.In.Name, step.Out.Name, "n"));
                        w.Line(step.In.Offset >= 0
                            ? SpatialEmitter.PoolTangent(pool, step.In.Name, Tangent(step.In), $"t{step.Out.Name}", "n")
                            : $"t{step.Out.Name}.Clear();");
                    }
                    else if (step.Dense is { } dense)
                    {
                        string inW = Literals.Int(dense.InputWidth), outW = Literals.Int(dense.OutputWidth);
                        string weight = $"{Literals.Int(dense.ParameterOffset)}, {Literals.Int(dense.WeightCount)}";
                        w.Line($"{Gemm}(false, true, n, {outW}, {inW}, {one}, {step.In.Name}, {inW}, parameters.Slice({weight}), {inW}, {zero}, {step.Z.Name}, {outW});");
                        w.Line($"{Gemm}(false, true, n, {outW}, {inW}, {one}, {step.In.Name}, {inW}, tangent.Slice({weight}), {inW}, {zero}, t{step.Z.Name}, {outW});");
                        if (step.In.Offset >= 0)
                        {
                            w.Line($"{Gemm}(false, true, n, {outW}, {inW}, {one}, {Tangent(step.In)}, {inW}, parameters.Slice({weight}), {inW}, {one}, t{step.Z.Name}, {outW});");
                        }
                        if (dense.Bias)
                        {
                            string bias = $"{Literals.Int(dense.BiasOffset)}, {outW}";
                            w.Line($"{Bias}.AddBias({step.Z.Name}, parameters.Slice({bias}), n);");
                            w.Line($"{Bias}.AddBias(t{step.Z.Name}, tangent.Slice({bias}), n);");
                        }
                        if (step.Activation is { } act)
                        {
                            w.Line($"global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<{OpTable.TypeOf(act.Activation)}>({step.Z.Name}, {step.Out.Name});");
                            w.Line($"global::Dnn2Gp.Runtime.Cpu.BackwardDriver.Apply<{OpTable.TypeOf(act.Activation)}>({step.Z.Name}, {step.Out.Name}, t{step.Z.Name}, t{step.Out.Name});");
                        }
                    }
                    else
                    {
                        var act = step.Activation!;
                        w.Line($"global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<{OpTable.TypeOf(act.Activation)}>({step.In.Name}, {step.Out.Name});");
                        if (step.In.Offset >= 0)
                        {
                            w.Line($"global::Dnn2Gp.Runtime.Cpu.BackwardDriver.Apply<{OpTable.TypeOf(act.Activation)}>({step.In.Name}, {step.Out.Name}, {Tangent(step.In)}, t{step.Out.Name});");
                        }
                        else
                        {
                            w.Line($"t{step.Out.Name}.Clear();");
                        }
                    }
                }
                w.Line();
                w.Line($"if (!outputs.IsEmpty) {plan.Output.Name}.CopyTo(outputs);");
                w.Line($"t{plan.Output.Name}.CopyTo(tangentOutputs);");
            }
            using (w.Block("finally"))
            {
                w.Line($"global::System.Buffers.ArrayPool<{t}>.Shared.Return(rented);");
            }
        }
    }
}
