/** /proc/net/dev as the kernel prints it: two header lines, one line per device (rx bytes, tx bytes given). */
export function netDev(rows: [string, number, number][]): string {
  const head =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  return head + rows.map(([d, rx, tx]) => `${d.padStart(6)}: ${rx} 7 0 0 0 0 0 0 ${tx} 5 0 0 0 0 0 0\n`).join('');
}
