/** The error a promise rejects with; a test failure when it resolves. */
export async function caught(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the statement to fail');
}
