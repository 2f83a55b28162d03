@RestController
class Hooks {
    @PostMapping("/webhooks/shopify")
    public ResponseEntity<Void> receive(@RequestBody String payload) {
        service.process(payload);
        return ResponseEntity.ok().build();
    }
}
