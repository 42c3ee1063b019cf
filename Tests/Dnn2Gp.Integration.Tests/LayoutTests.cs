using System;
using System.Linq;
using Dnn2Gp.Integration.Tests.Networks;
using Dnn2Gp.Runtime;
using Xunit;

namespace Dnn2Gp.Integration.Tests;

/// <summary>The parameter layout follows PyTorch's state_dict: per nn.Linear the weight [out, in] row-major, then the bias.</summary>
public class LayoutTests
{
    [Fact]
    public void Three_layer_mlp_layout_matches_pytorch_order()
    {
        // nn.Sequential(nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2)).state_dict():
        (string Name, int Offset, int[] Shape)[] expected =
        [
            ("0.weight", 0, [4, 5]),
            ("0.bias", 20, [4]),
            ("2.weight", 24, [3, 4]),
            ("2.bias", 36, [3]),
            ("4.weight", 39, [2, 3]),
            ("4.bias", 45, [2]),
        ];
        var layout = ThreeLayerMlp.Layout;
        Assert.Equal(expected.Length, layout.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Name, layout[i].Name);
            Assert.Equal(expected[i].Offset, layout[i].Offset);
            Assert.Equal(expected[i].Shape, layout[i].Shape.ToArray());
        }
        Assert.Equal(47, ThreeLayerMlp.ParameterCount);
        Assert.Equal(47, layout.ParameterCount);
        Assert.Equal(ThreeLayerMlp.Layout.Select(t => t.Name), ThreeLayerMlpDouble.Layout.Select(t => t.Name));
    }

    [Fact]
    public void Odd_shapes_layout_skips_missing_bias_and_counts_activation_modules()
    {
        // Tanh, Linear(4,6), Softplus, Sigmoid, Linear(6,5,bias=False), GELU, Linear(5,3)
        Assert.Equal(["1.weight", "1.bias", "4.weight", "6.weight", "6.bias"], OddShapes.Layout.Select(t => t.Name).ToArray());
        Assert.Equal([0, 24, 30, 60, 75], OddShapes.Layout.Select(t => t.Offset).ToArray());
        Assert.Equal(78, OddShapes.ParameterCount);
    }

    [Fact]
    public void Forward_reads_weights_row_major_out_by_in()
    {
        // A naive forward pass that reads W[o, i] at offset + o·in + i must agree with the generated one.
        var (p, x, _) = Numerics.NetworkChecks.RandomProblem<ThreeLayerMlpDouble>(3, seed: 11);
        var outputs = new double[3 * 2];
        ThreeLayerMlpDouble.Forward(p, x, outputs, 3);
        var layout = ThreeLayerMlpDouble.Layout;
        for (int n = 0; n < 3; n++)
        {
            double[] h = x.AsSpan(n * 5, 5).ToArray();
            Func<double, double>[] activation = [v => Math.Max(v, 0), Math.Tanh, v => v];
            for (int l = 0; l < 3; l++)
            {
                var w = layout[2 * l];
                var b = layout[2 * l + 1];
                int outWidth = w.Shape[0], inWidth = w.Shape[1];
                var next = new double[outWidth];
                for (int o = 0; o < outWidth; o++)
                {
                    double sum = p[b.Offset + o];
                    for (int i = 0; i < inWidth; i++) sum += p[w.Offset + o * inWidth + i] * h[i];
                    next[o] = activation[l](sum);
                }
                h = next;
            }
            for (int k = 0; k < 2; k++) Assert.Equal(h[k], outputs[n * 2 + k], 12);
        }
    }

    [Fact]
    public void Layout_table_prints_names_shapes_and_offsets()
    {
        string table = ThreeLayerMlp.Layout.ToString();
        Assert.Contains("0.weight  [4, 5]", table);
        Assert.Contains("total 47 parameters", table);
    }
}
