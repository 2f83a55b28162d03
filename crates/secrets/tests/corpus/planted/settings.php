<?php
$password = 'M1jw6eY!Uxxz^_Ige736J%CG';
return [
    'api_key' => '0gix5hRjkR0cRJ!tBCTkiTnN',
    'redis' => 'redis://cache:yN7RQeaa1sOclwh2C6@redis.prod.internal:6379',
];
