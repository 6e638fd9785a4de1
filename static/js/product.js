// Variant picker: show the chosen variant's price.
document.querySelectorAll('input[name="variant"]').forEach(function (input) {
  input.addEventListener('change', function () {
    var price = document.getElementById('price');
    if (price && input.dataset.price) { price.textContent = input.dataset.price; }
  });
});
