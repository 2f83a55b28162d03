class Notifier {
    void send(String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofString(body))
            .build();
        client.send(request, BodyHandlers.discarding());
    }
}
