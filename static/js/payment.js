// Card payment with Stripe.js: the card goes to the gateway, our server only receives a payment method id and
// confirms the intent server-side. The order becomes paid when the gateway's signed webhook says so.
(function () {
  var form = document.getElementById('card-form');
  if (!form || typeof Stripe === 'undefined') { return; }
  var stripe = Stripe(form.dataset.key);
  var card = stripe.elements().create('card');
  card.mount('#card-element');
  var button = document.getElementById('card-pay');
  button.hidden = false;
  form.addEventListener('submit', function (event) {
    if (document.getElementById('payment-method').value) { return; }
    event.preventDefault();
    button.disabled = true;
    Promise.resolve(stripe.createPaymentMethod({type: 'card', card: card})).then(function (result) {
      if (result && result.paymentMethod) {
        document.getElementById('payment-method').value = result.paymentMethod.id;
        form.submit();
      } else {
        document.getElementById('card-errors').textContent =
          (result && result.error && result.error.message) || form.dataset.unsupported || 'Kartu tidak dapat diproses.';
        button.disabled = false;
      }
    });
  });
})();
