<?php
function notify(array $order) {
    return Http::timeout(10)->post(config('hooks.url'), $order);
}
