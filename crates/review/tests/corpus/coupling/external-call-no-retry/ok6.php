<?php
function notify(array $order) {
    return Http::timeout(10)->retry(3, 200)->withHeaders(['Idempotency-Key' => $order['id']])->post(config('hooks.url'), $order);
}
