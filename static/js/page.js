// Behaviour templates ask for with data attributes; the Content-Security-Policy allows no inline scripts or handlers.
//   <form data-confirm="...">, <button data-confirm="...">: ask before submitting
//   <select data-autosubmit>: submit the form on change      <button data-print>: print the page
(function () {
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-confirm]');
    if (button && !window.confirm(button.getAttribute('data-confirm'))) { event.preventDefault(); }
    if (event.target.closest('[data-print]')) { window.print(); }
  });
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.hasAttribute('data-confirm') && !window.confirm(form.getAttribute('data-confirm'))) {
      event.preventDefault();
    }
  });
  document.addEventListener('change', function (event) {
    if (event.target.matches('select[data-autosubmit]') && event.target.form) { event.target.form.submit(); }
  });
})();
