class Notifier {
    private final Retry retry = Retry.ofDefaults("notifier");

    void send(String body) throws Exception {
        Retry.decorateCheckedRunnable(retry, () -> {
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(10))
                .POST(BodyPublishers.ofString(body))
                .build();
            client.send(request, BodyHandlers.discarding());
        }).run();
    }
}
