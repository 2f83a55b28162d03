const res = await fetch(`https://hooks.slack.com/services/${team}/${channel}`, {
  method: "POST",
  signal: AbortSignal.timeout(5000),
});
