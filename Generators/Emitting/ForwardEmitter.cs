using System;
using System.Collections.Generic;
using Dnn2Gp.Generators.Model;

namespace Dnn2Gp.Generators.Emitting;

/// <summary>
/// Emits the batched CPU passes: <c>Forward</c> and <c>Loss</c> (the Forward part) and <c>LossAndGradient</c>
/// by reverse mode (the Gradient part). Each public method validates its arguments, then hands contiguous chunks
/// of the batch to the cores through <c>BatchParallel</c>; each chunk runs a shape-specialised kernel struct whose
/// body reads top to bottom, one comment per layer, calling Runtime's GEMM, drivers and likelihoods.
/// </summary>
internal static class ForwardEmitter
{
    private const string Gemm = "global::Dnn2Gp.Runtime.Cpu.Gemm.Multiply";
    private const string Bias = "global::Dnn2Gp.Runtime.Cpu.BiasDriver";
    private const string Parallel = "global::Dnn2Gp.Runtime.Cpu.BatchParallel";
    private const string Arguments = "global::Dnn2Gp.Runtime.NetworkArguments";

    /// <summary>The Forward part: Forward, Loss and their chunk kernels.</summary>
    public static string EmitForward(NetworkSpec spec)
    {
        var w = new SourceWriter();
        string t = Literals.Type(spec.Element);
        var inference = ForwardPlan.Create(spec, keepPreactivations: false);
        using (FileHeader.Open(w, spec, $"Batched forward pass and loss of {spec.TypeName}."))
        {
            w.Line($"/// <summary>Per-example workspace of the forward and loss kernels (elements).</summary>");
            w.Line($"private const int ForwardWorkspace = {Literals.Int(Math.Max(1, inference.Workspace))};");
            w.Line();
            w.Line($"/// <summary>Rows below which splitting a batch across cores costs more than it saves.</summary>");
            w.Line($"private const int MinRowsPerWorker = {Literals.Int(MinRowsPerWorker(spec))};");
            w.Line();
            w.Line("/// <summary>Computes the outputs [batch, OutputSize] of a batch of inputs [batch, InputSize].</summary>");
            using (w.Block($"public static void Forward(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.Span<{t}> outputs, int batch)"))
            {
                w.Line($"{Arguments}.CheckBatch(Name, parameters.Length, ParameterCount, inputs.Length, InputSize, batch);");
                w.Line($"{Arguments}.CheckOutputs(Name, outputs.Length, OutputSize, batch);");
                w.Line($"{Parallel}.MapRows<ForwardKernel, {t}>(parameters, inputs, InputSize, default, 0, outputs, OutputSize, batch, {Literals.One(spec.Element)}, MinRowsPerWorker);");
            }
            w.Line();
            w.Line("/// <summary>Returns the negative log-likelihood Σₙ ℓ(yₙ, f(xₙ)) of a batch, without the prior.</summary>");
            using (w.Block($"public static double Loss(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.ReadOnlySpan<{t}> targets, int batch)"))
            {
                w.Line($"{Arguments}.CheckBatch(Name, parameters.Length, ParameterCount, inputs.Length, InputSize, batch);");
                w.Line($"{Arguments}.CheckTargets(Name, targets.Length, TargetSize, batch);");
                w.Line($"{ValidateTargets(spec)};");
                w.Line($"return {Parallel}.MapRows<LossKernel, {t}>(parameters, inputs, InputSize, targets, TargetSize, default, 0, batch, {Literals.One(spec.Element)}, MinRowsPerWorker);");
            }
            w.Line();
            EmitKernel(w, spec, inference, "ForwardKernel", "The forward pass of one chunk: outputs = f(inputs).", "outputs", body: () =>
            {
                EmitForwardSteps(w, spec, inference, outputsName: "outputs");
                w.Line("return 0.0;");
            });
            w.Line();
            EmitKernel(w, spec, inference, "LossKernel", "The loss of one chunk: Σₙ ℓ(yₙ, f(xₙ)).", "unused", body: () =>
            {
                EmitForwardSteps(w, spec, inference, outputsName: null);
                w.Line($"// likelihood: {LikelihoodComment(spec.Loss)}");
                w.Line($"return {OpTable.LikelihoodType(spec.Loss.Kind)}.Loss({inference.Output.Name}, targets, n, {Literals.Int(spec.OutputSize)}{Sigma(spec)});");
            });
        }
        return w.ToString();
    }

    /// <summary>The Gradient part: LossAndGradient by reverse mode and its chunk kernel.</summary>
    public static string EmitGradient(NetworkSpec spec)
    {
        var w = new SourceWriter();
        string t = Literals.Type(spec.Element);
        var plan = ForwardPlan.Create(spec, keepPreactivations: true);
        using (FileHeader.Open(w, spec, $"Batched loss and gradient of {spec.TypeName} by reverse mode."))
        {
            w.Line("/// <summary>Per-example workspace of the gradient kernel: every activation, then two gradient buffers.</summary>");
            w.Line($"private const int GradientWorkspace = {Literals.Int(plan.Workspace + 2 * plan.MaxWidth)};");
            w.Line();
            w.Line("/// <summary>");
            w.Line("/// Returns scale · Σₙ ℓ(yₙ, f(xₙ)) and overwrites <paramref name=\"gradient\"/> with its gradient with respect to");
            w.Line("/// every parameter (layout as <see cref=\"Layout\"/>). The prior is not included.");
            w.Line("/// </summary>");
            using (w.Block($"public static double LossAndGradient(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.ReadOnlySpan<{t}> targets, int batch, global::System.Span<{t}> gradient, {t} scale)"))
            {
                w.Line($"{Arguments}.CheckBatch(Name, parameters.Length, ParameterCount, inputs.Length, InputSize, batch);");
                w.Line($"{Arguments}.CheckTargets(Name, targets.Length, TargetSize, batch);");
                w.Line($"{Arguments}.CheckGradient(Name, gradient.Length, ParameterCount);");
                w.Line($"{ValidateTargets(spec)};");
                w.Line($"return {Parallel}.SumGradients<GradientKernel, {t}>(parameters, inputs, InputSize, targets, TargetSize, gradient, batch, scale, MinRowsPerWorker);");
            }
            w.Line();
            void Body(ForwardPlan pass)
            {
                EmitForwardSteps(w, spec, pass, outputsName: null);
                int gradientOffset = pass.Workspace;
                w.Line($"global::System.Span<{t}> g0 = ws.Slice(n * {Literals.Int(gradientOffset)}, n * {Literals.Int(pass.MaxWidth)});");
                w.Line($"global::System.Span<{t}> g1 = ws.Slice(n * {Literals.Int(gradientOffset + pass.MaxWidth)}, n * {Literals.Int(pass.MaxWidth)});");
                w.Line();
                w.Line($"// likelihood: {LikelihoodComment(spec.Loss)}; d = scale · ∂ℓ/∂f");
                int k = spec.OutputSize;
                w.Line($"global::System.Span<{t}> d{pass.Steps.Count} = g0.Slice(0, n * {Literals.Int(k)});");
                w.Line($"double loss = {OpTable.LikelihoodType(spec.Loss.Kind)}.LossAndResidual({pass.Output.Name}, targets, n, {Literals.Int(k)}{Sigma(spec)}, scale, d{pass.Steps.Count});");
                EmitBackward(w, spec, pass);
                w.Line("return loss;");
            }
            EmitKernel(w, spec, plan, "GradientKernel", "Loss and gradient of one chunk: forward, likelihood residual, then backward layer by layer.", "gradient", body: () => Body(plan));
            if (spec.HasDropout)
            {
                w.Line();
                var training = ForwardPlan.Create(spec, keepPreactivations: true, training: true);
                EmitTraining(w, spec, t, training, () => Body(training));
            }
        }
        return w.ToString();
    }

    /// <summary>The training pass of a network with dropout: TrainingLossAndGradient and its seeded chunk kernel.</summary>
    private static void EmitTraining(SourceWriter w, NetworkSpec spec, string t, ForwardPlan plan, Action body)
    {
        w.Line("/// <summary>Per-example workspace of the training kernel: every activation and dropout mask, then two gradient buffers.</summary>");
        w.Line($"private const int TrainingWorkspace = {Literals.Int(plan.Workspace + 2 * plan.MaxWidth)};");
        w.Line();
        w.Line("/// <summary>");
        w.Line("/// <see cref=\"LossAndGradient\"/> in training mode: every dropout layer keeps each unit with probability 1 − p (scaled by");
        w.Line("/// 1/(1 − p)), with masks drawn from <paramref name=\"seed\"/> and each example's row (Runtime's <c>Dropout.Keep</c>).");
        w.Line("/// </summary>");
        using (w.Block($"public static double TrainingLossAndGradient(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.ReadOnlySpan<{t}> targets, int batch, global::System.Span<{t}> gradient, {t} scale, ulong seed)"))
        {
            w.Line($"{Arguments}.CheckBatch(Name, parameters.Length, ParameterCount, inputs.Length, InputSize, batch);");
            w.Line($"{Arguments}.CheckTargets(Name, targets.Length, TargetSize, batch);");
            w.Line($"{Arguments}.CheckGradient(Name, gradient.Length, ParameterCount);");
            w.Line($"{ValidateTargets(spec)};");
            w.Line($"return global::Dnn2Gp.Runtime.Cpu.SeededBatchParallel.SumGradients<TrainingGradientKernel, {t}>(parameters, inputs, InputSize, targets, TargetSize, gradient, batch, scale, seed, MinRowsPerWorker);");
        }
        w.Line();
        EmitKernel(w, spec, plan, "TrainingGradientKernel", "Loss and gradient of one chunk in training mode: dropout masks for rows start … start+n−1.", "gradient", body, seeded: true);
    }

    private static void EmitKernel(SourceWriter w, NetworkSpec spec, ForwardPlan plan, string name, string summary, string outputName, Action body, bool seeded = false)
    {
        string t = Literals.Type(spec.Element);
        string workspace = seeded ? "TrainingWorkspace" : name == "GradientKernel" ? "GradientWorkspace" : "ForwardWorkspace";
        w.Line($"/// <summary>{summary}</summary>");
        using (w.Block(seeded
                   ? $"private readonly struct {name} : global::Dnn2Gp.Runtime.Cpu.ISeededBatchKernel<{t}>"
                   : $"private readonly struct {name} : global::Dnn2Gp.Runtime.Cpu.IBatchKernel<{t}>"))
        {
            using (w.Block(seeded
                       ? $"public static double Run(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.ReadOnlySpan<{t}> targets, global::System.Span<{t}> {outputName}, int start, int n, {t} scale, ulong seed)"
                       : $"public static double Run(global::System.ReadOnlySpan<{t}> parameters, global::System.ReadOnlySpan<{t}> inputs, global::System.ReadOnlySpan<{t}> targets, global::System.Span<{t}> {outputName}, int n, {t} scale)"))
            {
                w.Line($"{t}[] rented = global::System.Buffers.ArrayPool<{t}>.Shared.Rent(n * {workspace});");
                using (w.Block("try"))
                {
                    w.Line($"global::System.Span<{t}> ws = rented;");
                    body();
                }
                using (w.Block("finally"))
                {
                    w.Line($"global::System.Buffers.ArrayPool<{t}>.Shared.Return(rented);");
                }
            }
        }
    }

    internal static void EmitForwardSteps(SourceWriter w, NetworkSpec spec, ForwardPlan plan, string? outputsName)
    {
        string t = Literals.Type(spec.Element);
        var declared = new HashSet<string> { plan.Input.Name };
        string SpanOf(PlanValue value) => outputsName is not null && value.Name == plan.Output.Name ? outputsName : value.Name;
        void Declare(PlanValue value)
        {
            if (!declared.Add(value.Name)) return;
            if (outputsName is not null && value.Name == plan.Output.Name)
            {
                return;
            }
            w.Line($"global::System.Span<{t}> {value.Name} = ws.Slice(n * {Literals.Int(value.Offset)}, n * {Literals.Int(value.Width)});");
        }

        foreach (var step in plan.Steps)
        {
            w.Line();
            w.Line($"// {Describe(step)}");
            Declare(step.Z);
            Declare(step.Out);
            if (step.IsConv)
            {
                var conv = step.Dense!;
                w.Line(SpatialEmitter.ConvForward(conv, "parameters", SpanOf(step.In), SpanOf(step.Z), "n", withBias: true));
                if (step.Activation is { } convAct)
                {
                    w.Line($"global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<{OpTable.TypeOf(convAct.Activation)}>({SpanOf(step.Z)}, {SpanOf(step.Out)});");
                }
            }
            else if (step.Pool is { } pool)
            {
                w.Line(SpatialEmitter.PoolForward(pool, SpanOf(step.In), SpanOf(step.Out), "n"));
            }
            else if (step.Dropout is { } dropout)
            {
                Declare(step.Mask!);
                foreach (string line in SpatialEmitter.DropoutForward(dropout, SpanOf(step.In), step.Mask!.Name, SpanOf(step.Out))) w.Line(line);
            }
            else if (step.Dense is { } dense)
            {
                string weight = $"parameters.Slice({Literals.Int(dense.ParameterOffset)}, {Literals.Int(dense.WeightCount)})";
                w.Line($"{Gemm}(false, true, n, {Literals.Int(dense.OutputWidth)}, {Literals.Int(dense.InputWidth)}, {Literals.One(spec.Element)}, {SpanOf(step.In)}, {Literals.Int(dense.InputWidth)}, {weight}, {Literals.Int(dense.InputWidth)}, {Literals.Zero(spec.Element)}, {SpanOf(step.Z)}, {Literals.Int(dense.OutputWidth)});");
                string bias = $"parameters.Slice({Literals.Int(dense.BiasOffset)}, {Literals.Int(dense.OutputWidth)})";
                if (step.Activation is { } act)
                {
                    w.Line(dense.Bias
                        ? $"{Bias}.AddBiasAndApply<{OpTable.TypeOf(act.Activation)}>({SpanOf(step.Z)}, {bias}, n, {SpanOf(step.Out)});"
                        : $"global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<{OpTable.TypeOf(act.Activation)}>({SpanOf(step.Z)}, {SpanOf(step.Out)});");
                }
                else if (dense.Bias)
                {
                    w.Line($"{Bias}.AddBias({SpanOf(step.Z)}, {bias}, n);");
                }
            }
            else
            {
                w.Line($"global::Dnn2Gp.Runtime.Cpu.UnaryDriver.Apply<{OpTable.TypeOf(step.Activation!.Activation)}>({SpanOf(step.In)}, {SpanOf(step.Out)});");
            }
        }
        w.Line();
    }

    private static void EmitBackward(SourceWriter w, NetworkSpec spec, ForwardPlan plan)
    {
        string t = Literals.Type(spec.Element);
        string one = Literals.One(spec.Element), zero = Literals.Zero(spec.Element);
        int buffer = 0;
        string d = $"d{plan.Steps.Count}";
        int firstParametrised = FirstParametrised(plan);
        for (int s = plan.Steps.Count - 1; s >= 0; s--)
        {
            var step = plan.Steps[s];
            w.Line();
            w.Line($"// backward through {Describe(step)}");
            if (step.Activation is { } act)
            {
                string input = step.Dense is null ? step.In.Name : step.Z.Name;
                w.Line($"global::Dnn2Gp.Runtime.Cpu.BackwardDriver.Apply<{OpTable.TypeOf(act.Activation)}>({input}, {step.Out.Name}, {d}, {d});");
            }
            if (step.Pool is not null || step.Dropout is not null)
            {
                if (s < firstParametrised)
                {
                    w.Line("// (no layer before this one has parameters)");
                }
                else if (step.Pool is { } pool)
                {
                    buffer = 1 - buffer;
                    string next = $"d{s}";
                    w.Line($"global::System.Span<{t}> {next} = g{buffer}.Slice(0, n * {Literals.Int(pool.InputWidth)});");
                    w.Line(SpatialEmitter.PoolBackward(pool, step.In.Name, d, next, "n", "1"));
                    d = next;
                }
                else
                {
                    w.Line(SpatialEmitter.DropoutBackward(step.Mask!.Name, d));
                }
            }
            else if (step.IsConv)
            {
                var conv = step.Dense!;
                w.Line(SpatialEmitter.ConvBackwardWeight(conv, step.In.Name, d, "n"));
                if (step.In.Offset >= 0)
                {
                    buffer = 1 - buffer;
                    string next = $"d{s}";
                    w.Line($"global::System.Span<{t}> {next} = g{buffer}.Slice(0, n * {Literals.Int(conv.InputWidth)});");
                    w.Line(SpatialEmitter.ConvBackwardInput(conv, d, next, "n"));
                    d = next;
                }
                else
                {
                    w.Line("// (the network input needs no gradient)");
                }
            }
            else if (step.Dense is { } dense)
            {
                string inW = Literals.Int(dense.InputWidth), outW = Literals.Int(dense.OutputWidth);
                w.Line($"{Gemm}(true, false, {outW}, {inW}, n, {one}, {d}, {outW}, {step.In.Name}, {inW}, {zero}, gradient.Slice({Literals.Int(dense.ParameterOffset)}, {Literals.Int(dense.WeightCount)}), {inW});");
                if (dense.Bias)
                {
                    w.Line($"{Bias}.SumRows({d}, n, {outW}, gradient.Slice({Literals.Int(dense.BiasOffset)}, {outW}));");
                }
                if (step.In.Offset >= 0)
                {
                    buffer = 1 - buffer;
                    string next = $"d{s}";
                    w.Line($"global::System.Span<{t}> {next} = g{buffer}.Slice(0, n * {inW});");
                    w.Line($"{Gemm}(false, false, n, {inW}, {outW}, {one}, {d}, {outW}, parameters.Slice({Literals.Int(dense.ParameterOffset)}, {Literals.Int(dense.WeightCount)}), {inW}, {zero}, {next}, {inW});");
                    d = next;
                }
                else
                {
                    w.Line("// (the network input needs no gradient)");
                }
            }
        }
        w.Line();
    }

    internal static string Describe(PlanStep step)
    {
        if (step.IsConv)
        {
            var conv = step.Dense!;
            string parameters = conv.Bias
                ? $"{conv.ModuleIndex}.weight [{conv.Spatial!.OutChannels}, {conv.Spatial.InChannels}, {conv.Spatial.KernelHeight}, {conv.Spatial.KernelWidth}] at {conv.ParameterOffset}, {conv.ModuleIndex}.bias [{conv.BiasCount}] at {conv.BiasOffset}"
                : $"{conv.ModuleIndex}.weight [{conv.Spatial!.OutChannels}, {conv.Spatial.InChannels}, {conv.Spatial.KernelHeight}, {conv.Spatial.KernelWidth}] at {conv.ParameterOffset}, no bias";
            string act = step.Activation is { } a ? $", then {OpTable.DisplayName(a.Activation)}" : "";
            return $"layer {conv.ModuleIndex}: {SpatialEmitter.Describe(conv)}; {parameters}){act}";
        }
        if (step.Pool is { } pool)
        {
            return $"layer {pool.ModuleIndex}: {SpatialEmitter.Describe(pool)}";
        }
        if (step.Dropout is { } dropout)
        {
            return $"layer {dropout.ModuleIndex}: Dropout p = {Literals.Double(dropout.Rate)} ({dropout.OutputWidth}; training pass: mask {step.Mask!.Name})";
        }
        if (step.Dense is { } dense)
        {
            string parameters = dense.Bias
                ? $"{dense.ModuleIndex}.weight [{dense.OutputWidth}, {dense.InputWidth}] at {dense.ParameterOffset}, {dense.ModuleIndex}.bias [{dense.OutputWidth}] at {dense.BiasOffset}"
                : $"{dense.ModuleIndex}.weight [{dense.OutputWidth}, {dense.InputWidth}] at {dense.ParameterOffset}, no bias";
            string act = step.Activation is { } a ? $", then {OpTable.DisplayName(a.Activation)}" : "";
            return $"layer {dense.ModuleIndex}: Dense {dense.InputWidth} -> {dense.OutputWidth} ({parameters}){act}";
        }
        var activation = step.Activation!;
        return $"layer {activation.ModuleIndex}: {OpTable.DisplayName(activation.Activation)} ({activation.OutputWidth})";
    }

    /// <summary>The index of the first step with parameters: nothing before it needs a backward pass.</summary>
    internal static int FirstParametrised(ForwardPlan plan)
    {
        for (int s = 0; s < plan.Steps.Count; s++)
        {
            if (plan.Steps[s].Dense is not null) return s;
        }
        return plan.Steps.Count;
    }

    private static string LikelihoodComment(LossSpec loss) => loss.Kind switch
    {
        LossKind.Gaussian => $"Gaussian, σ = {Literals.Double(loss.Sigma)}",
        LossKind.Bernoulli => "Bernoulli, logit link",
        LossKind.Categorical => "categorical, softmax link",
        _ => throw new InvalidOperationException($"unhandled LossKind {loss.Kind}"),
    };

    private static string Sigma(NetworkSpec spec) => spec.Loss.Kind == LossKind.Gaussian ? ", " + Literals.Double(spec.Loss.Sigma) : "";

    /// <summary>The call that checks every target before any work (labels in range, finite regression targets).</summary>
    public static string ValidateTargets(NetworkSpec spec) =>
        $"global::Dnn2Gp.Runtime.Likelihoods.Targets.Validate{spec.Loss.Kind}(Name, targets, batch, OutputSize)";

    /// <summary>About 10⁵ multiply-adds per worker before splitting a batch pays for itself.</summary>
    private static int MinRowsPerWorker(NetworkSpec spec)
    {
        long macs = 0;
        foreach (var layer in spec.Layers) macs += layer.Work + layer.OutputWidth;
        return (int)Math.Max(1, Math.Min(4096, (100_000 + macs - 1) / Math.Max(1, macs)));
    }
}
