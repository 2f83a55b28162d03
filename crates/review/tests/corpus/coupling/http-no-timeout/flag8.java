class Rates {
    HttpResponse<String> load(URI uri) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri)
            .header("Accept", "application/json")
            .build();
        return client.send(request, BodyHandlers.ofString());
    }
}
