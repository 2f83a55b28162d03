<?php
Route::post('/webhooks/paddle', function (Request $request) {
    Subscription::sync($request->all());
    return response('ok');
});
