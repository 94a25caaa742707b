// Loaded with `node --import` before the probe bundle: an exception nobody catches, in the middle of a run.
setTimeout(() => {
  throw new Error("thrown by the test preload");
}, 300);
