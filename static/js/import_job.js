// Import progress: polls the job's status and moves the bar until the worker has finished, then reloads.
(function () {
  var box = document.getElementById('job');
  if (!box || box.dataset.finished === '1') { return; }
  var labels = JSON.parse(box.dataset.labels || '{}');
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById('job-progress').value = s.percent;
      document.getElementById('job-count').textContent = s.processed + '/' + s.total;
      document.getElementById('job-status').textContent = labels[s.status];
      if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
