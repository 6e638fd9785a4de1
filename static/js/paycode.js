// Virtual account / QRIS page: copy buttons for the numbers, and a countdown to the deadline the server rendered
// (the page reads fine without this script: the deadline is printed in WIB).
(function () {
  document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
    if (!navigator.clipboard) { return; }
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.textContent = button.dataset.copied || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  document.querySelectorAll('time[data-countdown]').forEach(function (time) {
    var left = time.parentNode.querySelector('[data-countdown-left]');
    var deadline = Date.parse(time.getAttribute('datetime'));
    if (!left || isNaN(deadline)) { return; }
    function tick() {
      var seconds = Math.floor((deadline - Date.now()) / 1000);
      if (seconds <= 0) {
        left.textContent = '· ' + time.dataset.expired;
        return;
      }
      var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
      left.textContent = '· ' + time.dataset.prefix + ' ' + (h ? h + ':' : '') + pad(m) + ':' + pad(s);
      setTimeout(tick, 1000);
    }
    tick();
  });
})();
