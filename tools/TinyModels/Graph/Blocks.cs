namespace Heurist.TinyModels.Graph;

/// <summary>
/// Neural-network building blocks made of <see cref="Ops"/>, each creating its own random weights.
/// Weights are uniform in ±gain·√(3 / fan-in), which keeps a layer's output variance near its input's,
/// so signals neither vanish nor explode through the few layers of a tiny model and every input keeps a
/// visible effect on the output.
/// </summary>
public static class Blocks
{
    /// <summary>The bound of uniform weights that preserve variance for <paramref name="fanIn"/> inputs.</summary>
    public static float UniformBound(long fanIn, float gain = 1f) => gain * MathF.Sqrt(3f / fanIn);

    /// <summary>x·W (+ b) over the last axis.</summary>
    public static string Linear(this OnnxGraphBuilder g, string x, int inFeatures, int outFeatures, string name, float gain = 1f, bool bias = true)
    {
        using var scope = g.Scope(name);
        var y = g.MatMul(x, g.AddRandom("weight", UniformBound(inFeatures, gain), inFeatures, outFeatures));
        return bias ? g.Add(y, g.AddRandom("bias", 0.1f, outFeatures)) : y;
    }

    /// <summary>SiLU (swish): x·sigmoid(x).</summary>
    public static string Silu(this OnnxGraphBuilder g, string x) => g.Mul(x, g.Sigmoid(x));

    /// <summary>LayerNorm over the last axis with unit scale and zero bias, as a freshly initialised model has.</summary>
    public static string LayerNorm(this OnnxGraphBuilder g, string x, int features, string name)
    {
        using var scope = g.Scope(name);
        return g.LayerNormalization(x, g.AddFilled("weight", 1f, features), g.AddFilled("bias", 0f, features));
    }

    /// <summary>T5's RMSNorm: x / √(mean(x²) + ε) · weight, with no mean subtraction and no bias.</summary>
    public static string RmsNorm(this OnnxGraphBuilder g, string x, int features, string name)
    {
        using var scope = g.Scope(name);
        var meanSquare = g.ReduceMean(g.Mul(x, x), keepDims: true, -1);
        var rms = g.Sqrt(g.Add(meanSquare, g.Scalar(1e-6f, "epsilon")));
        return g.Mul(g.Div(x, rms), g.AddFilled("weight", 1f, features));
    }

    /// <summary>Linear → SiLU → Linear.</summary>
    public static string Mlp(this OnnxGraphBuilder g, string x, int features, int hidden, int outFeatures, string name, float outGain = 1f)
    {
        using var scope = g.Scope(name);
        var h = g.Silu(g.Linear(x, features, hidden, "fc1"));
        return g.Linear(h, hidden, outFeatures, "fc2", outGain);
    }

    /// <summary>
    /// Single-head scaled dot-product attention of <paramref name="query"/> [batch, n, queryFeatures]
    /// over <paramref name="keyValue"/> [batch, m, keyValueFeatures]; the result is [batch, n, outFeatures].
    /// Pass the same value twice for self-attention.
    /// </summary>
    public static string Attention(
        this OnnxGraphBuilder g,
        string query,
        string keyValue,
        int queryFeatures,
        int keyValueFeatures,
        int attentionFeatures,
        int outFeatures,
        string name)
    {
        using var scope = g.Scope(name);
        var q = g.Linear(query, queryFeatures, attentionFeatures, "to_q", bias: false);
        var k = g.Linear(keyValue, keyValueFeatures, attentionFeatures, "to_k", bias: false);
        var v = g.Linear(keyValue, keyValueFeatures, attentionFeatures, "to_v", bias: false);
        var scores = g.Mul(g.MatMul(q, g.Transpose(k, 0, 2, 1)), g.Scalar(1f / MathF.Sqrt(attentionFeatures), "scale"));
        var attended = g.MatMul(g.Softmax(scores, -1), v);
        return g.Linear(attended, attentionFeatures, outFeatures, "to_out");
    }

    /// <summary>
    /// Sinusoidal features of a float tensor: for x of shape [..] the result is [.., 2·frequencies],
    /// sin(x·f) then cos(x·f), with frequencies 1, 2^-step, 2^-2·step, … (exact powers of two, so
    /// the same on every machine). This is the diffusers timestep embedding with power-of-two spacing.
    /// </summary>
    public static string Sinusoidal(this OnnxGraphBuilder g, string x, int frequencies, int exponentStep, string name)
    {
        using var scope = g.Scope(name);
        var values = new float[frequencies];
        for (var i = 0; i < frequencies; i++)
        {
            values[i] = MathF.ScaleB(1f, -i * exponentStep);
        }
        var angles = g.Mul(g.Unsqueeze(x, -1), g.AddInitializer("frequencies", values, frequencies));
        return g.Concat(-1, g.Sin(angles), g.Cos(angles));
    }

    /// <summary>A timestep embedding: sinusoidal features of t [n] through Linear → SiLU → Linear, giving [n, features].</summary>
    public static string TimestepEmbedding(this OnnxGraphBuilder g, string t, int features, string name)
    {
        using var scope = g.Scope(name);
        const int Frequencies = 8;
        var sinusoid = g.Sinusoidal(t, Frequencies, exponentStep: 2, "sinusoid");
        return g.Mlp(sinusoid, 2 * Frequencies, features, features, "mlp");
    }

    /// <summary>A square-kernel 2-D convolution with "same" padding and its random weights.</summary>
    public static string Conv2d(this OnnxGraphBuilder g, string x, int inChannels, int outChannels, int kernel, string name, float gain = 1f)
    {
        using var scope = g.Scope(name);
        var weight = g.AddRandom("weight", UniformBound((long)inChannels * kernel * kernel, gain), outChannels, inChannels, kernel, kernel);
        var bias = g.AddRandom("bias", 0.1f, outChannels);
        return g.Conv(x, weight, bias, kernel);
    }
}
