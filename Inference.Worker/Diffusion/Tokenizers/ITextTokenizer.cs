namespace Heurist.Inference.Worker.Diffusion.Tokenizers;

/// <summary>Turns a prompt into the fixed-length token ids a text encoder takes.</summary>
public interface ITextTokenizer
{
    /// <summary>The length of every encoding: shorter texts are padded, longer ones truncated.</summary>
    int MaxLength { get; }

    /// <summary>The ids of <paramref name="text"/>, exactly <see cref="MaxLength"/> of them.</summary>
    int[] Encode(string text);
}

/// <summary>A tokenizer file that is missing or malformed; the message names the file and what is wrong.</summary>
public sealed class TokenizerFileException : Exception
{
    public TokenizerFileException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
    }

    /// <summary>The path of the file at fault.</summary>
    public string File { get; }
}

/// <summary>Reading the Hugging Face tokenizer files the tokenizers share.</summary>
internal static class TokenizerFiles
{
    public static System.Text.Json.JsonDocument? ReadJson(string folder, string name, bool required)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            return required ? throw new TokenizerFileException(path, "the file is missing.") : null;
        }
        try
        {
            return System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (System.Text.Json.JsonException error)
        {
            throw new TokenizerFileException(path, $"not valid JSON ({error.Message}).", error);
        }
    }

    /// <summary>A special token as either a string or an object with "content" (AddedToken), or null.</summary>
    public static string? SpecialToken(System.Text.Json.JsonDocument? document, string key)
    {
        if (document is null || document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
            || !document.RootElement.TryGetProperty(key, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => value.GetString(),
            System.Text.Json.JsonValueKind.Object when value.TryGetProperty("content", out var content)
                && content.ValueKind == System.Text.Json.JsonValueKind.String => content.GetString(),
            _ => null,
        };
    }

    /// <summary>tokenizer_config.json's model_max_length, ignoring the huge sentinel that "no limit" is written as.</summary>
    public static int? ModelMaxLength(System.Text.Json.JsonDocument? config)
    {
        if (config is not null && config.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
            && config.RootElement.TryGetProperty("model_max_length", out var value)
            && value.ValueKind == System.Text.Json.JsonValueKind.Number
            && value.TryGetDouble(out var length) && length >= 1 && length <= 1_000_000)
        {
            return (int)length;
        }
        return null;
    }
}
