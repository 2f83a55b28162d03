// fcto-corpus-path: src/main/java/shop/OrderController.java
@RestController
class OrderController {
    @GetMapping("/orders")
    Page<Order> list(Pageable pageable) {
        return orderRepository.findAll(pageable);
    }
}
