// Checkout: the grand total follows the couriers picked (the server recomputes it; this is only the display).
(function () {
  var total = document.getElementById('grand-total');
  if (!total) { return; }
  function update() {
    var sum = parseInt(total.dataset.subtotal, 10);
    document.querySelectorAll('input[type="radio"][name^="kurir_"]:checked').forEach(function (input) {
      sum += parseInt(input.dataset.price, 10);
    });
    total.textContent = 'Rp ' + sum.toLocaleString('id-ID');
  }
  document.querySelectorAll('input[type="radio"][name^="kurir_"]').forEach(function (input) {
    input.addEventListener('change', update);
  });
})();
