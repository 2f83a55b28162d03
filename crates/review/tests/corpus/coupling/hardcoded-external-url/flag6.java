class Pay {
    private static final String URL = "https://api.paypal.com/v2/checkout/orders";
}
