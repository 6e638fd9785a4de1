// Checkout: the grand total follows the couriers picked (the server recomputes it; this is only the display).
(function () {
  var total = document.getElementById('grand-total');
  if (!total) { return; }
  function update() {
    var sum = parseInt(total.dataset.subtotal, 10);
    document.querySelectorAll('input[type="radio"][name^="kurir_"]:checked').forEach(function (input) {
      var price = parseInt(input.dataset.price, 10);
      sum += price;
      // The koperasi's own "Subtotal + ongkir" line follows its courier too, not only the grand total.
      var ongkir = document.querySelector('[data-ongkir="' + input.name.slice(6) + '"]');
      if (ongkir) { ongkir.textContent = 'Rp ' + price.toLocaleString('id-ID'); }
    });
    total.textContent = 'Rp ' + sum.toLocaleString('id-ID');
  }
  document.querySelectorAll('input[type="radio"][name^="kurir_"]').forEach(function (input) {
    input.addEventListener('change', update);
  });
})();
