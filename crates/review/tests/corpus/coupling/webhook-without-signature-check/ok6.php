<?php
Route::post('/webhooks/paddle', function (Request $request) {
    $expected = hash_hmac('sha256', $request->getContent(), config('paddle.secret'));
    abort_unless(hash_equals($expected, $request->header('Paddle-Signature')), 400);
    Subscription::sync($request->all());
    return response('ok');
});
