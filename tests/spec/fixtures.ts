// Complete wire objects as a v2 service sends them (every required field present, null where empty).
// Built from the spec's examples plus the fields those examples leave out.

export const run = () => ({
  id: "run_abc123",
  object: "thread.run",
  created_at: 1699063290,
  assistant_id: "asst_abc123",
  thread_id: "thread_abc123",
  status: "queued",
  started_at: null,
  expires_at: 1699063890,
  cancelled_at: null,
  failed_at: null,
  completed_at: null,
  required_action: null,
  last_error: null,
  incomplete_details: null,
  model: "gpt-4o",
  instructions: "You are a helpful assistant.",
  tools: [{ type: "code_interpreter" }],
  tool_resources: {},
  metadata: {},
  usage: null,
  temperature: 1,
  top_p: 1,
  max_prompt_tokens: null,
  max_completion_tokens: null,
  truncation_strategy: { type: "auto", last_messages: null },
  response_format: "auto",
  tool_choice: "auto",
});

export const message = () => ({
  id: "msg_abc123",
  object: "thread.message",
  created_at: 1699017614,
  thread_id: "thread_abc123",
  status: "completed",
  incomplete_details: null,
  completed_at: 1699017615,
  incomplete_at: null,
  role: "assistant",
  content: [
    {
      type: "text",
      text: {
        value: "See 【4:0†source】 and sandbox:/mnt/data/out.csv",
        annotations: [
          {
            type: "file_citation",
            text: "【4:0†source】",
            start_index: 4,
            end_index: 16,
            file_citation: { file_id: "assistant-xyz", quote: "q" },
          },
          {
            type: "file_path",
            text: "sandbox:/mnt/data/out.csv",
            start_index: 21,
            end_index: 46,
            file_path: { file_id: "assistant-abc" },
          },
        ],
      },
    },
    { type: "image_file", image_file: { file_id: "assistant-img" } },
  ],
  assistant_id: "asst_abc123",
  run_id: "run_abc123",
  attachments: [],
  metadata: {},
});

export const step = () => ({
  id: "step_abc123",
  object: "thread.run.step",
  created_at: 1699063291,
  run_id: "run_abc123",
  assistant_id: "asst_abc123",
  thread_id: "thread_abc123",
  type: "tool_calls",
  status: "completed",
  cancelled_at: null,
  completed_at: 1699063291,
  expired_at: null,
  failed_at: null,
  last_error: null,
  metadata: {},
  step_details: {
    type: "tool_calls",
    tool_calls: [
      {
        id: "call_1",
        type: "code_interpreter",
        code_interpreter: {
          input: "print(1)",
          outputs: [
            { type: "logs", logs: "1\n" },
            { type: "image", image: { file_id: "assistant-img" } },
          ],
        },
      },
      {
        id: "call_2",
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris"}', output: null },
      },
    ],
  },
  usage: { prompt_tokens: 123, completion_tokens: 456, total_tokens: 579 },
});

export const thread = () => ({
  id: "thread_abc123",
  object: "thread",
  created_at: 1699014083,
  tool_resources: {},
  metadata: {},
});

export const vectorStore = () => ({
  id: "vs_abc123",
  object: "vector_store",
  created_at: 1699061776,
  name: "Support FAQ",
  usage_bytes: 139920,
  status: "completed",
  last_active_at: 1699061776,
  expires_after: { anchor: "last_active_at", days: 7 },
  expires_at: null,
  file_counts: { in_progress: 0, completed: 3, failed: 0, cancelled: 0, total: 3 },
  metadata: {},
});

export const file = () => ({
  object: "file",
  id: "assistant-abc",
  bytes: 1234,
  filename: "data.csv",
  created_at: 1699061776,
  purpose: "assistants",
  status: "processed",
});

/** The same message as Assistants v1 (2024-02-15-preview) sends it: file_ids, no status or attachments. */
export const messageV1 = () => ({
  id: "msg_abc123",
  object: "thread.message",
  created_at: 1707298421,
  thread_id: "thread_abc123",
  role: "user",
  content: [{ type: "text", text: { value: "What is in this file?", annotations: [] } }],
  file_ids: ["assistant-abc"],
  assistant_id: null,
  run_id: null,
  metadata: {},
});

/** A copy of `o` without `key`, to show that a required field is enforced. */
export function omit<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const copy = { ...o };
  delete copy[key];
  return copy;
}
