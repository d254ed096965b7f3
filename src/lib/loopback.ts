/** 127.0.0.0/8, ::1 and localhost never leave the machine (a URL's hostname writes ::1 as "[::1]"). */
export function isLoopbackHost(host: string): boolean {
  return (
    host === "localhost" ||
    host === "::1" ||
    host === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}
