// Chat templates of the families Pharos knows, used when a model folder ships none (older or base checkpoints).
namespace Pharos.Models.Tokenization;

internal static class KnownChatTemplates
{
    /// <summary>ChatML as Qwen2/Qwen2.5 write it (system prompt only when given).</summary>
    public const string ChatMl =
        "{%- for message in messages %}{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}{%- endfor %}" +
        "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}";

    /// <summary>Llama-3 Instruct's template.</summary>
    public const string Llama3 =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}" +
        "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    /// <summary>Gemma's template: a system prompt is folded into the first user turn, the assistant is "model".</summary>
    public const string Gemma =
        "{{ bos_token }}{%- if messages[0]['role'] == 'system' -%}{%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}{%- set loop_messages = messages[1:] -%}" +
        "{%- else -%}{%- set first_user_prefix = \"\" -%}{%- set loop_messages = messages -%}{%- endif -%}" +
        "{%- for message in loop_messages -%}{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}" +
        "{{ raise_exception(\"Conversation roles must alternate user/assistant/user/assistant/...\") }}{%- endif -%}" +
        "{%- if (message['role'] == 'assistant') -%}{%- set role = \"model\" -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}" +
        "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else \"\") }}{{ message['content'] | trim }}{{ '<end_of_turn>\\n' }}" +
        "{%- endfor -%}{%- if add_generation_prompt -%}{{'<start_of_turn>model\\n'}}{%- endif -%}";

    /// <summary>Picks the family from config.json's model_type, else from the special tokens in the vocabulary.</summary>
    public static string For(HfTokenizer tokenizer, TokenizerConfig config)
    {
        var type = config.ModelType ?? "";
        if (type.StartsWith("gemma", StringComparison.Ordinal) || tokenizer.TokenToId("<start_of_turn>") is not null)
            return Gemma;
        if (type.StartsWith("qwen", StringComparison.Ordinal) || tokenizer.TokenToId("<|im_start|>") is not null)
            return ChatMl;
        if (tokenizer.TokenToId("<|start_header_id|>") is not null)
            return Llama3;
        throw new InvalidTokenizerException("tokenizer_config.json: field 'chat_template': missing, and the model family has no known template (known: ChatML/Qwen2, Llama-3, Gemma)");
    }
}
