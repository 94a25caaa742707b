// Loaded with `node --import` before the probe bundle: a rejection nobody handles, in the middle of a run.
setTimeout(() => {
  void Promise.reject(new Error("rejected by the test preload"));
}, 300);
