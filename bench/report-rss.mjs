// Loaded with `node --import` into a benchmarked process: reports its peak memory on exit.
process.on('exit', () => {
  process.stderr.write(`\nbench-peak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
