// Address form: the province decides which kabupaten/kota field is shown (East Java's list, or a typed name).
(function () {
  var province = document.getElementById('province');
  if (!province) { return; }
  var listed = document.querySelector('[data-province-only]');
  var typed = document.querySelector('[data-province-other]');
  function update() {
    var inList = province.value === listed.dataset.provinceOnly;
    listed.hidden = !inList;
    typed.hidden = inList;
  }
  province.addEventListener('change', update);
  update();
})();
