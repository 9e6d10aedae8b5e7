/** Fake credentials: the SDK signs with them; the local cloud reads only the key id. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIALOCALOPERATOR', secretAccessKey: 'local-secret' } as const;
