class Pay {
    @Value("${paypal.base-url}")
    private String baseUrl;
    // https://api.paypal.com is configured in application.yml
    private static final String NS = "http://www.w3.org/2001/XMLSchema-instance";
    private static final String HELP = "See https://developer.paypal.com/docs for details";
}
