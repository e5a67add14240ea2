/**
 * A stand-in for one of the functions' AWS clients (shared/aws/services.ts) in unit tests: it records each
 * call and answers with what the test set for the operation (an Error is thrown, anything else returned).
 */
export interface FakeCall {
  operation: string;
  input: any;
}

export function fakeAwsClient<Client extends { call: unknown }>() {
  const calls: FakeCall[] = [];
  const answers = new Map<string, unknown>();
  let fallback: { answer: unknown } | undefined;
  const client = {
    endpoint: new URL('http://fake-aws.invalid/'),
    async call(operation: string, input: unknown) {
      calls.push({ operation, input });
      const answer = answers.has(operation) ? answers.get(operation) : fallback === undefined ? new Error(`the fake has no answer for ${operation}`) : fallback.answer;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Client;
  return {
    client,
    calls,
    /** What `operation` answers from now on. */
    on(operation: string, answer: unknown) {
      answers.set(operation, answer);
    },
    /** What every operation without an answer of its own answers. */
    onAny(answer: unknown) {
      fallback = { answer };
    },
    reset() {
      calls.length = 0;
      answers.clear();
      fallback = undefined;
    },
  };
}
