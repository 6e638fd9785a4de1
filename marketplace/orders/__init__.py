"""Orders: one per koperasi per checkout, status changes in the words buyers know, fulfilment and refunds."""
