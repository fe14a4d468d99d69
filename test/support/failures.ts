/** The error `promise` rejects with, when it is a `type`; resolving, or any other error, fails the test. */
export const rejectionOf = async <E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};
