using System.Text.Json;
using System.Text.Json.Nodes;

namespace Heurist.TinyModels.Tokenizers;

/// <summary>Writes tokenizer folders in the Hugging Face file formats the real model repositories ship.</summary>
public static class TokenizerFiles
{
    public const int ClipMaxLength = 77;
    public const int T5MaxLength = 512;

    /// <summary>
    /// A CLIP tokenizer folder: vocab.json (token → id), merges.txt, special_tokens_map.json and
    /// tokenizer_config.json. <paramref name="padToken"/> is <c>&lt;|endoftext|&gt;</c>, or <c>!</c> for SDXL's
    /// second tokenizer.
    /// </summary>
    public static void WriteClip(ModelFolder folder, string directory, ClipVocabulary vocabulary, string padToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(vocabulary);
        folder.WriteJson($"{directory}/vocab.json", w =>
        {
            w.WriteStartObject();
            for (var id = 0; id < vocabulary.Tokens.Count; id++)
            {
                w.WriteNumber(vocabulary.Tokens[id], id);
            }
            w.WriteEndObject();
        });
        folder.WriteText(
            $"{directory}/merges.txt",
            "#version: 0.2\n" + string.Concat(vocabulary.Merges.Select(m => $"{m.Left} {m.Right}\n")));
        folder.WriteJson($"{directory}/special_tokens_map.json", w =>
        {
            w.WriteStartObject();
            w.WriteString("bos_token", ClipVocabulary.StartOfText);
            w.WriteString("eos_token", ClipVocabulary.EndOfText);
            w.WriteString("pad_token", padToken);
            w.WriteString("unk_token", ClipVocabulary.EndOfText);
            w.WriteEndObject();
        });
        folder.WriteJson($"{directory}/tokenizer_config.json", w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("add_prefix_space", false);
            w.WriteString("bos_token", ClipVocabulary.StartOfText);
            w.WriteBoolean("clean_up_tokenization_spaces", true);
            w.WriteBoolean("do_lower_case", true);
            w.WriteString("eos_token", ClipVocabulary.EndOfText);
            w.WriteString("errors", "replace");
            w.WriteNumber("model_max_length", ClipMaxLength);
            w.WriteString("pad_token", padToken);
            w.WriteString("tokenizer_class", "CLIPTokenizer");
            w.WriteString("unk_token", ClipVocabulary.EndOfText);
            w.WriteEndObject();
        });
    }

    /// <summary>
    /// A T5 tokenizer folder: tokenizer.json (a Unigram model with Metaspace pre-tokenization and
    /// &lt;/s&gt; appended by the post-processor), special_tokens_map.json and tokenizer_config.json.
    /// </summary>
    public static void WriteT5(ModelFolder folder, string directory, T5Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(vocabulary);
        folder.WriteJson($"{directory}/tokenizer.json", w =>
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteNull("truncation");
            w.WriteNull("padding");
            w.WriteStartArray("added_tokens");
            foreach (var (id, content) in new[] { (T5Vocabulary.PadId, T5Vocabulary.Pad), (T5Vocabulary.EndOfSequenceId, T5Vocabulary.EndOfSequence), (T5Vocabulary.UnknownId, T5Vocabulary.Unknown) })
            {
                w.WriteStartObject();
                w.WriteNumber("id", id);
                w.WriteString("content", content);
                w.WriteBoolean("single_word", false);
                w.WriteBoolean("lstrip", false);
                w.WriteBoolean("rstrip", false);
                w.WriteBoolean("normalized", false);
                w.WriteBoolean("special", true);
                w.WriteEndObject();
            }
            w.WriteEndArray();

            WriteParsed(w, "normalizer", """{"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]}""");
            var metaspace = $$"""{"type": "Metaspace", "replacement": "{{T5Vocabulary.WordStart}}", "prepend_scheme": "always", "split": true}""";
            WriteParsed(w, "pre_tokenizer", metaspace);
            WriteParsed(w, "post_processor", """
                {"type": "TemplateProcessing",
                 "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                 "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                          {"Sequence": {"id": "B", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                 "special_tokens": {"</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}}
                """);
            WriteParsed(w, "decoder", metaspace);

            w.WriteStartObject("model");
            w.WriteString("type", "Unigram");
            w.WriteNumber("unk_id", T5Vocabulary.UnknownId);
            w.WriteStartArray("vocab");
            foreach (var (piece, score) in vocabulary.Pieces)
            {
                w.WriteStartArray();
                w.WriteStringValue(piece);
                w.WriteRawValue(T5Vocabulary.FormatScore(score));
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteBoolean("byte_fallback", false);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        folder.WriteJson($"{directory}/special_tokens_map.json", w =>
        {
            w.WriteStartObject();
            w.WriteString("eos_token", T5Vocabulary.EndOfSequence);
            w.WriteString("pad_token", T5Vocabulary.Pad);
            w.WriteString("unk_token", T5Vocabulary.Unknown);
            w.WriteEndObject();
        });
        folder.WriteJson($"{directory}/tokenizer_config.json", w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("clean_up_tokenization_spaces", true);
            w.WriteString("eos_token", T5Vocabulary.EndOfSequence);
            w.WriteNumber("extra_ids", 0);
            w.WriteBoolean("legacy", true);
            w.WriteNumber("model_max_length", T5MaxLength);
            w.WriteString("pad_token", T5Vocabulary.Pad);
            w.WriteString("tokenizer_class", "T5TokenizerFast");
            w.WriteString("unk_token", T5Vocabulary.Unknown);
            w.WriteEndObject();
        });
    }

    // Fixed parts are written from JSON text so they read as the format does, re-indented like the rest.
    private static void WriteParsed(Utf8JsonWriter writer, string name, string json)
    {
        writer.WritePropertyName(name);
        JsonNode.Parse(json)!.WriteTo(writer);
    }
}
