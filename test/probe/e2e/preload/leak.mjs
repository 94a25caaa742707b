// Loaded with `node --import` before the probe bundle: memory that grows as a leak would (16 MiB every 20 ms,
// pages touched so they count as resident), to show the probe's memory guard reports before V8 aborts.
const hoard = [];
setInterval(() => hoard.push(Buffer.alloc(16 * 2 ** 20, 1)), 20);
