"""What every API endpoint shares: one error shape, conditional writes, pagination, throttles,
body limits. The endpoints themselves live with their apps (claims/api/)."""
