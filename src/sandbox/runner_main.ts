export function runRunner(_args: string[]): Promise<number> {
  return Promise.reject(new Error("not built yet"));
}
